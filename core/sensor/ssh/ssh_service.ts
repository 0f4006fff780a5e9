import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import { LineTooLongError } from "../conn_reader.ts";
import type { SensorServiceOptions } from "../sensor_options.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import {
  type AuthContext,
  type Connection,
  IncomingClient,
  type KexOffer,
  type UpstreamClient,
} from "./_ssh2.ts";
import { clientIdentReply, MAX_IDENT_LENGTH } from "./client_ident_reply.ts";
import { FirstPacket } from "./first_packet.ts";
import { hassh } from "./hassh.ts";
import { parseKexInit } from "./kex_init.ts";
import { DEFAULT_SSH_SOFTWARE, OPENSSH_ALGORITHMS } from "./openssh_algorithms.ts";
import { sessionSocket } from "./session_socket.ts";
import { sshHostKeys } from "./ssh_host_keys.ts";
import { connectUpstream, relaySessions } from "./ssh_relay.ts";

/** What Debian's stock sshd offers after a failed attempt (no keyboard-interactive). */
const AUTH_METHODS = ["publickey", "password"];
/** Largest first packet taken for HASSH (sshd's own KEXINIT is about 1,100 bytes). */
const MAX_KEXINIT_PACKET = 35_000;

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
    const client: ClientFields = { client_ident: ident };
    const firstPacket = new FirstPacket(MAX_KEXINIT_PACKET);
    const tap = (chunk: Uint8Array) => {
      const packet = firstPacket.feed(chunk);
      if (packet) Object.assign(client, fingerprint(packet));
    };
    const hostKeys = await sshHostKeys(session.options.hostKeyDir);
    // Latin1, byte for byte: the ident goes into the key exchange hash.
    const socket = sessionSocket(session, latin1(`${ident}\r\n`), tap);
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const onAbort = () => socket.destroy();
    session.signal.addEventListener("abort", onAbort, { once: true });
    const events = new EventEmitter();
    events.on("connection", (conn: Connection) => attach(conn, session, client));
    new IncomingClient(
      socket,
      hostKeys,
      Buffer.from(software(session.options), "latin1"),
      offer(),
      undefined,
      events,
      {},
    );
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

/** A fresh offer per connection: the library appends to the kex list it is given. */
function offer(): KexOffer {
  const direction = () => ({
    cipher: [...OPENSSH_ALGORITHMS.cipher],
    mac: [...OPENSSH_ALGORITHMS.hmac],
    compress: [...OPENSSH_ALGORITHMS.compress],
    lang: [],
  });
  return {
    kex: [...OPENSSH_ALGORITHMS.kex],
    serverHostKey: [...OPENSSH_ALGORITHMS.serverHostKey],
    cs: direction(),
    sc: direction(),
  };
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
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
    const digest = createHash("sha256").update(data).digest();
    // The orchestrator's own key: the session is the fleet's, recorded as benign.
    if (session.trustedKeys.has(digest.toString("hex"))) session.markBenign();
    const fields = {
      key_type: ctx.key.algo,
      fingerprint: `SHA256:${digest.toString("base64").replace(/=+$/, "")}`,
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
  let relay: UpstreamClient | undefined;
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
