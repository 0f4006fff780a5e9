import { NTLM_FLAGS, NTLM_SIGNATURE } from "./_ntlm_flags.ts";
import { NtlmParseError } from "./ntlm_parse_error.ts";

/** A NEGOTIATE_MESSAGE (type 1): what the client offers. */
export interface NtlmNegotiate {
  type: 1;
  /** NegotiateFlags as sent. */
  flags: number;
  /** OEM domain the client supplied, if any. */
  domain: string;
  /** OEM workstation the client supplied, if any. */
  workstation: string;
}

/** An AUTHENTICATE_MESSAGE (type 3): the client's answer to the challenge. */
export interface NtlmAuthenticate {
  type: 3;
  flags: number;
  lmResponse: Uint8Array;
  ntResponse: Uint8Array;
  domain: string;
  username: string;
  workstation: string;
  /** True for a null session (no user, no NT response). */
  anonymous: boolean;
}

/** What {@linkcode parseNtlmMessage} returns. */
export type NtlmMessage = NtlmNegotiate | NtlmAuthenticate;

const NEGOTIATE_MIN = 16;
// Flags sit at offset 60: anything shorter predates NTLMSSP's flags in type 3.
const AUTHENTICATE_MIN = 64;

/**
 * Parses a NEGOTIATE (type 1) or AUTHENTICATE (type 3) message, checking
 * every length and offset against the bytes received.
 *
 * @param bytes the raw NTLMSSP message (already unwrapped from SPNEGO)
 * @returns the decoded message
 * @throws {NtlmParseError} on any malformed or unexpected message
 * @example
 * ```ts
 * declare const token: Uint8Array;
 * const message = parseNtlmMessage(token);
 * if (message.type === 3) console.info(message.username);
 * ```
 */
export function parseNtlmMessage(bytes: Uint8Array): NtlmMessage {
  if (bytes.length < 12 || !NTLM_SIGNATURE.every((b, i) => bytes[i] === b)) {
    throw new NtlmParseError("Cannot parse NTLMSSP message: missing signature");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint32(8, true);
  if (type === 1) return parseNegotiate(bytes, view);
  if (type === 3) return parseAuthenticate(bytes, view);
  throw new NtlmParseError(`Cannot parse NTLMSSP message: unexpected message type ${type}`);
}

function parseNegotiate(bytes: Uint8Array, view: DataView): NtlmNegotiate {
  if (bytes.length < NEGOTIATE_MIN) {
    throw new NtlmParseError(`Cannot parse NTLMSSP NEGOTIATE: ${bytes.length} bytes is too short`);
  }
  const flags = view.getUint32(12, true);
  // Domain and workstation fields exist only in messages long enough for them.
  const hasFields = bytes.length >= 32;
  const domain = hasFields && flags & NTLM_FLAGS.OEM_DOMAIN_SUPPLIED
    ? oem(field(bytes, view, 16, "DomainName"))
    : "";
  const workstation = hasFields && flags & NTLM_FLAGS.OEM_WORKSTATION_SUPPLIED
    ? oem(field(bytes, view, 24, "Workstation"))
    : "";
  return { type: 1, flags, domain, workstation };
}

function parseAuthenticate(bytes: Uint8Array, view: DataView): NtlmAuthenticate {
  if (bytes.length < AUTHENTICATE_MIN) {
    throw new NtlmParseError(
      `Cannot parse NTLMSSP AUTHENTICATE: ${bytes.length} bytes is too short`,
    );
  }
  const flags = view.getUint32(60, true);
  const text = flags & NTLM_FLAGS.UNICODE ? utf16 : oem;
  const lmResponse = field(bytes, view, 12, "LmChallengeResponse");
  const ntResponse = field(bytes, view, 20, "NtChallengeResponse");
  const domain = text(field(bytes, view, 28, "DomainName"), "DomainName");
  const username = text(field(bytes, view, 36, "UserName"), "UserName");
  const workstation = text(field(bytes, view, 44, "Workstation"), "Workstation");
  field(bytes, view, 52, "EncryptedRandomSessionKey");
  const anonymous = username === "" && ntResponse.length === 0 &&
    (lmResponse.length === 0 || (lmResponse.length === 1 && lmResponse[0] === 0));
  return { type: 3, flags, lmResponse, ntResponse, domain, username, workstation, anonymous };
}

/** The payload a security buffer (length, max length, offset) points at. */
function field(bytes: Uint8Array, view: DataView, at: number, name: string): Uint8Array {
  const length = view.getUint16(at, true);
  const offset = view.getUint32(at + 4, true);
  if (length === 0) return new Uint8Array(0);
  if (offset + length > bytes.length) {
    throw new NtlmParseError(
      `Cannot parse NTLMSSP ${name}: ${length} bytes at offset ${offset} overrun ${bytes.length}`,
    );
  }
  return bytes.slice(offset, offset + length);
}

function utf16(raw: Uint8Array, name: string): string {
  if (raw.length % 2 !== 0) {
    throw new NtlmParseError(`Cannot parse NTLMSSP ${name}: odd UTF-16 length ${raw.length}`);
  }
  return new TextDecoder("utf-16le").decode(raw);
}

function oem(raw: Uint8Array): string {
  return String.fromCharCode(...raw);
}
