import {
  buildChallenge,
  NEG_STATE,
  ntlmFromBlob,
  NtlmParseError,
  ntlmServerNames,
  parseNtlmMessage,
  spnegoResponse,
} from "../ntlmssp/mod.ts";
import { recordNtlmLogin } from "../record_ntlm_login.ts";
import type { SensorServiceOptions } from "../sensor_options.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import {
  netbiosFrame,
  NT_STATUS,
  parseSmb2Header,
  SMB2_COMMAND,
  SMB2_HEADER_SIZE,
  smb2ErrorBody,
  type Smb2Header,
  smb2Response,
} from "./_smb2.ts";
import { negotiateResponse } from "./negotiate_response.ts";
import { smb1Refusal } from "./smb1_refusal.ts";
import { parseSmb1Negotiate, parseSmb2Negotiate } from "./parse_negotiate.ts";

// Samba drops a connection whose first message claims 128 KiB or more.
const MAX_MESSAGE = 0x1ffff;
const NETBIOS_SESSION_REQUEST = 0x81;
// Negative session response (0x83), error 0x82: called name not present.
const NETBIOS_NAME_NOT_PRESENT = Uint8Array.of(0x83, 0, 0, 1, 0x82);
const DEFAULT_HOSTNAME = "fileserver";
// Samba grants one credit per answer until a session is set up.
const SAMBA_CREDITS = 1;
// ...and its "smb2 max credits" once a session is set up.
const SAMBA_SESSION_CREDITS = 8192;

/** One GUID per configured service, as a real server keeps one for its life. */
const serverGuids = new WeakMap<SensorServiceOptions, Uint8Array>();

/**
 * SMB2/3 on port 445, answering like a standalone Samba server: NEGOTIATE
 * (also the SMB1 multi-protocol form), then SESSION_SETUP with NTLMSSP
 * (raw or in SPNEGO) until the client's AUTHENTICATE arrives, which is
 * recorded as `auth_attempt` and a `credential` carrying the hashcat line,
 * and refused with STATUS_LOGON_FAILURE. A null session is let in and then
 * refused every share, as Samba with `restrict anonymous = 2` does.
 *
 * @example
 * ```ts
 * import { jsonLinesSink } from "../json_lines_sink.ts";
 * import { serveSensor } from "../serve_sensor.ts";
 * await using sensor = serveSensor({
 *   decky: "files01", services: [{ service: smbService, options: { hostname: "files01" } }],
 *   sink: jsonLinesSink(),
 * });
 * ```
 */
export const smbService: SensorService = {
  name: "smb",
  defaultPort: 445,
  serve: serveSmb,
};

async function serveSmb(session: SensorSession): Promise<void> {
  const state: SmbState = { phase: "start", challenges: new Map(), nullSessions: new Set() };
  while (!session.signal.aborted) {
    const head = await session.reader.readExact(4);
    if (!head) return;
    if (head[0] !== 0) return await refuseNetbios(session, head);
    const length = (head[1] << 16) | (head[2] << 8) | head[3];
    if (length > MAX_MESSAGE) return;
    const message = await session.reader.readExact(length);
    if (!message) return;
    const reply = answer(session, state, message);
    if (!reply) return;
    await session.write(netbiosFrame(reply));
    if (state.phase === "refused") return;
  }
}

/**
 * A NetBIOS packet that is not a session message, as smbd on 445 treats it:
 * the whole packet is read first (so HTTP and other probes are left waiting
 * for bytes that never come, as with Samba); a session request is answered
 * "called name not present"; then the connection is closed.
 */
async function refuseNetbios(session: SensorSession, head: Uint8Array): Promise<void> {
  let left = ((head[1] & 1) << 16) | (head[2] << 8) | head[3];
  while (left > 0) {
    const chunk = await session.reader.readExact(Math.min(left, 4096));
    if (!chunk) return;
    left -= chunk.length;
  }
  if (head[0] === NETBIOS_SESSION_REQUEST) await session.write(NETBIOS_NAME_NOT_PRESENT);
}

interface SmbState {
  /**
   * start -> wildcard (SMB1 negotiate answered with 2.??) -> negotiated;
   * refused once an SMB1-only client was told no dialect fits.
   */
  phase: "start" | "wildcard" | "negotiated" | "refused";
  /** Server challenge sent on each session id still in setup. */
  challenges: Map<bigint, Uint8Array>;
  /** Anonymous sessions set up on this connection. */
  nullSessions: Set<bigint>;
}

/** The reply to one message, or undefined to drop the connection as Samba would. */
function answer(
  session: SensorSession,
  state: SmbState,
  message: Uint8Array,
): Uint8Array | undefined {
  if (state.phase === "start") {
    const smb1 = parseSmb1Negotiate(message);
    if (smb1?.dialects.length === 0) {
      state.phase = "refused";
      return smb1Refusal(message);
    }
    if (smb1) {
      const body = negotiateResponse(smb1, negotiateOptions(session));
      if (!body) return undefined;
      state.phase = smb1.dialects.includes(0x02ff) ? "wildcard" : "negotiated";
      return smb2Response(
        smb1Header(),
        { status: NT_STATUS.success, credits: 1, sessionId: 0n },
        body,
      );
    }
  }
  const header = parseSmb2Header(message);
  if (!header) return undefined;
  const reply = (status: number, body: Uint8Array, sessionId = header.sessionId) =>
    smb2Response(header, { status, credits: SAMBA_CREDITS, sessionId }, body);
  if (header.command === SMB2_COMMAND.negotiate) {
    if (state.phase === "negotiated") return undefined;
    const request = parseSmb2Negotiate(message);
    const body = request && negotiateResponse(request, negotiateOptions(session));
    if (!body) return undefined;
    state.phase = "negotiated";
    return reply(NT_STATUS.success, body);
  }
  if (state.phase !== "negotiated") return undefined;
  if (header.command === SMB2_COMMAND.sessionSetup) {
    return sessionSetup(session, state, header, message);
  }
  if (header.command === SMB2_COMMAND.echo) {
    return reply(NT_STATUS.success, Uint8Array.of(4, 0, 0, 0));
  }
  if (!state.nullSessions.has(header.sessionId)) {
    return reply(NT_STATUS.userSessionDeleted, smb2ErrorBody());
  }
  // A null session reaches no share, as with Samba's "restrict anonymous = 2".
  if (header.command === SMB2_COMMAND.logoff) {
    state.nullSessions.delete(header.sessionId);
    return reply(NT_STATUS.success, Uint8Array.of(4, 0, 0, 0));
  }
  if (header.command === SMB2_COMMAND.treeConnect) {
    return reply(NT_STATUS.accessDenied, smb2ErrorBody());
  }
  return reply(NT_STATUS.networkNameDeleted, smb2ErrorBody());
}

function sessionSetup(
  session: SensorSession,
  state: SmbState,
  header: Smb2Header,
  message: Uint8Array,
): Uint8Array {
  const credits = SAMBA_CREDITS;
  const fail = (status: number) =>
    smb2Response(header, { status, credits, sessionId: header.sessionId }, smb2ErrorBody());
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  if (message.length < SMB2_HEADER_SIZE + 24) return fail(NT_STATUS.invalidParameter);
  const offset = view.getUint16(SMB2_HEADER_SIZE + 12, true);
  const length = view.getUint16(SMB2_HEADER_SIZE + 14, true);
  if (offset + length > message.length) return fail(NT_STATUS.invalidParameter);
  const found = ntlmFromBlob(message.subarray(offset, offset + length));
  if (!found) return fail(NT_STATUS.invalidParameter);
  let ntlm;
  try {
    ntlm = parseNtlmMessage(found.token);
  } catch (e) {
    if (!(e instanceof NtlmParseError)) throw e;
    return fail(NT_STATUS.invalidParameter);
  }
  // Samba continues only sessions it knows; 0 asks for a new one.
  if (header.sessionId !== 0n && !state.challenges.has(header.sessionId)) {
    return fail(NT_STATUS.userSessionDeleted);
  }
  if (ntlm.type === 1) {
    const serverChallenge = crypto.getRandomValues(new Uint8Array(8));
    const sessionId = header.sessionId || newSessionId();
    state.challenges.set(sessionId, serverChallenge);
    const type2 = buildChallenge(ntlm, {
      serverChallenge,
      now: session.now(),
      ...ntlmServerNames(session.options.hostname ?? DEFAULT_HOSTNAME),
    });
    const blob = found.spnego ? spnegoResponse(NEG_STATE.acceptIncomplete, type2) : type2;
    const body = new Uint8Array(8 + blob.length);
    body.set([9, 0, 0, 0, SMB2_HEADER_SIZE + 8, 0, blob.length & 0xff, blob.length >> 8]);
    body.set(blob, 8);
    return smb2Response(
      header,
      { status: NT_STATUS.moreProcessingRequired, credits, sessionId },
      body,
    );
  }
  const serverChallenge = state.challenges.get(header.sessionId);
  if (!serverChallenge) return fail(NT_STATUS.userSessionDeleted); // an AUTHENTICATE on session 0
  state.challenges.delete(header.sessionId);
  recordNtlmLogin(session, ntlm, { serverChallenge, method: "ntlmssp" });
  if (!ntlm.anonymous) return fail(NT_STATUS.logonFailure);
  // Samba lets a null session in (and grants its full credits) but no further.
  state.nullSessions.add(header.sessionId);
  const blob = found.spnego ? spnegoResponse(NEG_STATE.acceptCompleted) : new Uint8Array(0);
  const body = new Uint8Array(8 + blob.length);
  body.set([9, 0, 0, 0, blob.length ? SMB2_HEADER_SIZE + 8 : 0, 0, blob.length, 0]);
  body.set(blob, 8);
  return smb2Response(
    header,
    { status: NT_STATUS.success, credits: SAMBA_SESSION_CREDITS, sessionId: header.sessionId },
    body,
  );
}

function negotiateOptions(session: SensorSession) {
  let serverGuid = serverGuids.get(session.options);
  if (!serverGuid) {
    serverGuid = crypto.getRandomValues(new Uint8Array(16));
    serverGuids.set(session.options, serverGuid);
  }
  return {
    serverGuid,
    now: session.now(),
    random: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
  };
}

/** The header an SMB1 NEGOTIATE is answered with (message id 0). */
function smb1Header(): Smb2Header {
  return {
    command: SMB2_COMMAND.negotiate,
    creditCharge: 0,
    creditRequest: 0,
    flags: 0,
    messageId: 0n,
    processId: 0,
    treeId: 0,
    sessionId: 0n,
  };
}

/** Samba's session ids are 32-bit (the upper half of the field is zero). */
function newSessionId(): bigint {
  return BigInt(crypto.getRandomValues(new Uint32Array(1))[0] || 1);
}
