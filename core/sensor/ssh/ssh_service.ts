import { createHash } from "node:crypto";
import { LineTooLongError } from "../conn_reader.ts";
import type { SensorServiceOptions } from "../sensor_options.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import { type AuthContext, type AuthenticationType, type Connection, Server } from "./_ssh2.ts";
import { clientIdentReply, MAX_IDENT_LENGTH } from "./client_ident_reply.ts";
import { hassh } from "./hassh.ts";
import { parseKexInit } from "./kex_init.ts";
import { DEFAULT_SSH_SOFTWARE, OPENSSH_ALGORITHMS } from "./openssh_algorithms.ts";
import { sessionSocket } from "./session_socket.ts";
import { sshHostKeys } from "./ssh_host_keys.ts";
import { connectUpstream, relaySessions } from "./ssh_relay.ts";

/** What Debian's stock sshd offers after a failed attempt (no keyboard-interactive). */
const AUTH_METHODS: AuthenticationType[] = ["publickey", "password"];
/** Largest first packet read for HASSH; larger ones go to the library unread. */
const MAX_KEXINIT_PACKET = 35_000;

interface Ssh2Endpoint {
  server: InstanceType<typeof Server>;
  /** Each injected socket's session handler, found again from the library's connection. */
  handlers: WeakMap<object, (client: Connection) => void>;
}

const endpoints = new WeakMap<SensorServiceOptions, Promise<Ssh2Endpoint>>();

/**
 * SSH as Debian bookworm's OpenSSH answers it: its banner, its KEXINIT
 * algorithm order (as far as the library negotiates them), its replies to
 * bad identification lines. Records each password and public-key attempt
 * with the client's identification and HASSH; an accepted login (options
 * `accept`) is relayed to the decky's real sshd (`upstream`) and every
 * command and keystroke is recorded.
 *
 * @example
 * ```ts
 * import { serveSensor } from "../serve_sensor.ts";
 * import { jsonLinesSink } from "../json_lines_sink.ts";
 * await using sensor = serveSensor({
 *   decky: "web01",
 *   services: [{ service: sshService, options: { accept: [{ username: "root", password: "root" }] } }],
 *   sink: jsonLinesSink(),
 * });
 * ```
 */
export const sshService: SensorService = {
  name: "ssh",
  defaultPort: 22,
  async serve(session) {
    await session.write(`SSH-2.0-${software(session.options)}\r\n`);
    let ident: string | null;
    try {
      ident = await session.reader.readLine(MAX_IDENT_LENGTH);
      if (ident === null) return;
    } catch (e) {
      if (!(e instanceof LineTooLongError)) throw e;
      ident = null;
    }
    const refusal = clientIdentReply(ident);
    if (refusal !== undefined || ident === null) {
      if (refusal) await session.write(refusal);
      return;
    }
    const head = await readFirstPacket(session);
    if (head === null) return;
    const client = {
      client_ident: ident,
      ...fingerprint(head),
    };
    const identBytes = new TextEncoder().encode(`${ident}\r\n`);
    const replay = new Uint8Array(identBytes.length + head.length);
    replay.set(identBytes);
    replay.set(head, identBytes.length);

    const endpoint = await ssh2Endpoint(session.options);
    const socket = sessionSocket(session, replay);
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const onAbort = () => socket.destroy();
    session.signal.addEventListener("abort", onAbort, { once: true });
    endpoint.handlers.set(socket, (conn) => attach(conn, session, client));
    endpoint.server.injectSocket(socket as never);
    try {
      await closed;
    } finally {
      session.signal.removeEventListener("abort", onAbort);
    }
  },
};

/** The software part of the banner (`options.banner` may carry the `SSH-2.0-` prefix or not). */
function software(options: SensorServiceOptions): string {
  return (options.banner ?? DEFAULT_SSH_SOFTWARE).replace(/^SSH-2\.0-/, "");
}

/** The client's first binary packet (its KEXINIT), whole when it is of a sane size. */
async function readFirstPacket(session: SensorSession): Promise<Uint8Array | null> {
  const header = await session.reader.readExact(4);
  if (header === null) return null;
  const length = new DataView(header.buffer).getUint32(0);
  if (length > MAX_KEXINIT_PACKET) return header;
  const body = await session.reader.readExact(length);
  if (body === null) return null;
  const packet = new Uint8Array(4 + length);
  packet.set(header);
  packet.set(body, 4);
  return packet;
}

/** HASSH of the packet when it is a well-formed KEXINIT, else nothing. */
function fingerprint(packet: Uint8Array): { hassh?: string; hassh_algorithms?: string } {
  if (packet.length < 6) return {};
  const padding = packet[4];
  const payload = packet.subarray(5, Math.max(5, packet.length - padding));
  try {
    return hassh(parseKexInit(payload));
  } catch (e) {
    if (e instanceof SyntaxError) return {};
    throw e;
  }
}

function ssh2Endpoint(options: SensorServiceOptions): Promise<Ssh2Endpoint> {
  let endpoint = endpoints.get(options);
  if (!endpoint) {
    endpoint = sshHostKeys(options.hostKeyDir).then((hostKeys) => {
      const handlers = new WeakMap<object, (client: Connection) => void>();
      const server = new Server(
        {
          hostKeys,
          // The library's ident line is never sent (the service sent the
          // banner) but it goes into the key exchange hash, so it must match.
          ident: software(options),
          algorithms: {
            kex: [...OPENSSH_ALGORITHMS.kex],
            serverHostKey: [...OPENSSH_ALGORITHMS.serverHostKey],
            cipher: [...OPENSSH_ALGORITHMS.cipher],
            hmac: [...OPENSSH_ALGORITHMS.hmac],
            compress: [...OPENSSH_ALGORITHMS.compress],
          },
        } as ConstructorParameters<typeof Server>[0],
      );
      server.on("connection", (conn) => {
        // ssh2 keeps the socket it was given as `_sock`; it is how a
        // connection finds the session it belongs to.
        handlers.get((conn as unknown as { _sock: object })._sock)?.(conn);
      });
      return { server, handlers };
    });
    endpoints.set(options, endpoint);
  }
  return endpoint;
}

type ClientFields = { client_ident: string; hassh?: string; hassh_algorithms?: string };

function attach(conn: Connection, session: SensorSession, client: ClientFields): void {
  conn.on("error", () => {
    // A client's protocol error ends its own connection only.
  });
  conn.on("authentication", (ctx) => {
    authenticate(ctx, conn, session, client).catch(() => ctx.reject(AUTH_METHODS));
  });
}

async function authenticate(
  ctx: AuthContext,
  conn: Connection,
  session: SensorSession,
  client: ClientFields,
): Promise<void> {
  const username = ctx.username;
  if (ctx.method === "publickey") {
    const data = new Uint8Array(ctx.key.data);
    const base64 = btoa(String.fromCharCode(...data));
    const fields = {
      key_type: ctx.key.algo,
      fingerprint: `SHA256:${
        createHash("sha256").update(data).digest("base64").replace(/=+$/, "")
      }`,
    };
    session.emit("auth_attempt", {
      ...client,
      username,
      method: "publickey",
      accepted: false,
      ...fields,
    });
    session.emit("credential", {
      ...client,
      ...fields,
      username,
      secret_kind: "ssh_pubkey",
      secret: `${ctx.key.algo} ${base64}`,
    });
    return ctx.reject(AUTH_METHODS);
  }
  if (ctx.method !== "password") return ctx.reject(AUTH_METHODS);
  const password = ctx.password;
  const accepted = (session.options.accept ?? []).some((c) =>
    c.username === username && c.password === password
  );
  const { upstream, upstreamKeyPath } = session.options;
  let relay: Awaited<ReturnType<typeof connectUpstream>> | undefined;
  if (accepted && upstream && upstreamKeyPath) {
    try {
      relay = await connectUpstream({
        ...upstream,
        username,
        privateKey: await Deno.readTextFile(upstreamKeyPath),
        signal: session.signal,
      });
    } catch {
      relay = undefined; // the decky's sshd refused: the login fails as a wrong password would
    }
  }
  const ok = accepted && (relay !== undefined || !upstream);
  session.emit("auth_attempt", { ...client, username, method: "password", accepted: ok });
  session.emit("credential", { ...client, username, secret_kind: "password", secret: password });
  if (!ok) return ctx.reject(AUTH_METHODS);
  session.emit("auth_success", { ...client, username, method: "password" });
  if (relay) relaySessions(conn, relay, session.emit);
  ctx.accept();
}
