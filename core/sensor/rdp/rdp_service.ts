import { ConnReader } from "../conn_reader.ts";
import {
  buildChallenge,
  NEG_STATE,
  ntlmFromBlob,
  NtlmParseError,
  parseNtlmMessage,
  spnegoResponse,
} from "../ntlmssp/mod.ts";
import { recordNtlmLogin } from "../record_ntlm_login.ts";
import type { SensorServiceOptions } from "../sensor_options.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import { connectionConfirm } from "./connection_confirm.ts";
import { loopbackTls } from "./loopback_tls.ts";
import { parseConnectionRequest, type RdpConnectionRequest } from "./parse_connection_request.ts";
import { type SelfSignedCertificate, selfSignedCertificate } from "./self_signed_certificate.ts";
import { encodeTsRequest, parseTsRequest, type TsRequest } from "./ts_request.ts";
import { windowsServerNames } from "./windows_server_names.ts";

/** CredSSP version Windows 10 1809 / Server 2019 and later speak (MS-CSSP 2.2.1). */
const CREDSSP_VERSION = 6;
/** The NTLMSSP VERSION of Windows Server 2022: 10.0, build 20348, NTLM revision 15. */
const WINDOWS_VERSION = Uint8Array.of(10, 0, 0x7c, 0x4f, 0, 0, 0, 15);
const STATUS_LOGON_FAILURE = 0xc000006d;
/** CredSSP messages are a few KiB; a larger one is no client's. */
const MAX_TS_REQUEST = 0xffff;

/** The certificate and name each configured service keeps for the life of the sensor, as a server does. */
const identities = new WeakMap<SensorServiceOptions, Promise<RdpIdentity>>();

interface RdpIdentity {
  hostname: string;
  certificate: SelfSignedCertificate;
}

/**
 * RDP on port 3389 as a Windows Server that requires Network Level
 * Authentication answers it: the X.224 Connection Confirm selecting CredSSP
 * (MS-RDPBCGR 2.2.1.2), TLS with a self-signed certificate named after the
 * host (as Windows makes one), then CredSSP (MS-CSSP) with NTLMSSP, raw or
 * in SPNEGO. The client's AUTHENTICATE is recorded (`auth_attempt`, and a
 * `credential` with its NetNTLMv2 hashcat line) and refused with
 * STATUS_LOGON_FAILURE. The X.224 request is recorded as a `request` with
 * its mstshash cookie (the user name clients put there).
 *
 * @example
 * ```ts
 * import { jsonLinesSink } from "../json_lines_sink.ts";
 * import { serveSensor } from "../serve_sensor.ts";
 * await using sensor = serveSensor({
 *   decky: "ts01", services: [{ service: rdpService, options: { hostname: "ts01" } }],
 *   sink: jsonLinesSink(),
 * });
 * ```
 */
export const rdpService: SensorService = {
  name: "rdp",
  defaultPort: 3389,
  // The TLS server it pipes to listens and is reached on the loopback.
  net: ["127.0.0.1"],
  serve: serveRdp,
};

async function serveRdp(session: SensorSession): Promise<void> {
  const packet = await readTpkt(session.reader);
  const request = packet && parseConnectionRequest(packet);
  if (!request) return;
  const client = clientFields(request);
  session.emit("request", {
    ...(request.mstshash !== undefined ? { username: request.mstshash } : {}),
    ...(request.cookie !== undefined ? { cookie: request.cookie } : {}),
    ...client,
  });
  const confirm = connectionConfirm(request);
  await session.write(confirm.bytes);
  if (confirm.next === "refused") return;
  if (confirm.next === "legacy") {
    // Standard RDP Security is not allowed: the next PDU (MCS Connect Initial) ends it.
    await readTpkt(session.reader);
    return;
  }
  const identity = await identityOf(session);
  await using tls = await loopbackTls(session, identity.certificate);
  try {
    await credssp(session, tls.conn, identity.hostname, client);
  } catch (e) {
    // A broken TLS handshake or record ends this connection, as it does Windows'.
    if (!(e instanceof Deno.errors.InvalidData || e instanceof Deno.errors.UnexpectedEof)) throw e;
  }
}

/** CredSSP until the client's AUTHENTICATE, which is recorded and refused. */
async function credssp(
  session: SensorSession,
  tls: Deno.Conn,
  hostname: string,
  client: Record<string, string>,
): Promise<void> {
  const reader = new ConnReader(tls);
  let serverChallenge: Uint8Array | undefined;
  while (!session.signal.aborted) {
    const request = await readTsRequest(reader);
    const found = request?.negoToken && ntlmFromBlob(request.negoToken);
    if (!request || !found) return;
    let ntlm;
    try {
      ntlm = parseNtlmMessage(found.token);
    } catch (e) {
      if (!(e instanceof NtlmParseError)) throw e;
      return;
    }
    if (ntlm.type === 1 && serverChallenge === undefined) {
      serverChallenge = crypto.getRandomValues(new Uint8Array(8));
      const names = windowsServerNames(hostname);
      const type2 = buildChallenge(ntlm, {
        serverChallenge,
        now: session.now(),
        ...names,
        targetType: names.dnsDomain === names.dnsComputer ? "server" : "domain",
        version: WINDOWS_VERSION,
        imitate: "windows",
      });
      const token = found.spnego ? spnegoResponse(NEG_STATE.acceptIncomplete, type2) : type2;
      await writeAll(tls, encodeTsRequest({ version: CREDSSP_VERSION, negoToken: token }));
      continue;
    }
    if (ntlm.type !== 3 || serverChallenge === undefined) return;
    recordNtlmLogin(session, ntlm, { serverChallenge, method: "ntlmssp", fields: client });
    // Before version 3 there is no errorCode: Windows just ends the connection.
    if (request.version >= 3) {
      await writeAll(
        tls,
        encodeTsRequest({ version: CREDSSP_VERSION, errorCode: STATUS_LOGON_FAILURE }),
      );
    }
    return;
  }
}

/** What tells clients apart in their Connection Request, for `client_ident`. */
function clientFields(request: RdpConnectionRequest): Record<string, string> {
  const negotiation = request.negotiation;
  if (!negotiation) return { client_ident: "X.224 without RDP_NEG_REQ" };
  const protocols = `0x${negotiation.requestedProtocols.toString(16).padStart(8, "0")}`;
  const flags = `0x${negotiation.flags.toString(16).padStart(2, "0")}`;
  return {
    requested_protocols: protocols,
    client_ident: `RDP_NEG_REQ protocols=${protocols} flags=${flags}${
      request.correlationInfo ? " correlation_info" : ""
    }`,
  };
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

/** One TPKT (header included), or undefined at EOF or for anything else. */
async function readTpkt(reader: ConnReader): Promise<Uint8Array | undefined> {
  const head = await reader.readExact(4);
  if (!head || head[0] !== 3) return undefined;
  const length = (head[2] << 8) | head[3];
  if (length < 4) return undefined;
  const body = await reader.readExact(length - 4);
  if (!body) return undefined;
  const out = new Uint8Array(length);
  out.set(head);
  out.set(body, 4);
  return out;
}

/** One DER-encoded TSRequest off the TLS stream, or undefined for EOF or anything else. */
async function readTsRequest(reader: ConnReader): Promise<TsRequest | undefined> {
  const head = await reader.readExact(2);
  if (!head || head[0] !== 0x30) return undefined;
  let length = head[1];
  let lengthBytes: Uint8Array = new Uint8Array(0);
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3) return undefined;
    const read = await reader.readExact(count);
    if (!read) return undefined;
    lengthBytes = read;
    length = read.reduce((n, b) => n * 256 + b, 0);
  }
  if (length > MAX_TS_REQUEST) return undefined;
  const body = await reader.readExact(length);
  if (!body) return undefined;
  const whole = new Uint8Array(2 + lengthBytes.length + length);
  whole.set(head);
  whole.set(lengthBytes, 2);
  whole.set(body, 2 + lengthBytes.length);
  return parseTsRequest(whole);
}

function identityOf(session: SensorSession): Promise<RdpIdentity> {
  let identity = identities.get(session.options);
  if (!identity) {
    // Without a host name in the fleet file, the decky's name: stable across restarts.
    const hostname = session.options.hostname ?? session.decky;
    const names = windowsServerNames(hostname);
    const commonName = names.dnsDomain === names.dnsComputer
      ? names.netbiosComputer
      : `${names.netbiosComputer}.${names.dnsDomain}`;
    identity = selfSignedCertificate(commonName, { now: session.now() }).then((certificate) => ({
      hostname,
      certificate,
    }));
    identities.set(session.options, identity);
  }
  return identity;
}
