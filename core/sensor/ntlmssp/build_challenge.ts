import { NTLM_FLAGS, NTLM_SIGNATURE } from "./_ntlm_flags.ts";
import type { NtlmNegotiate } from "./parse_ntlm_message.ts";

/** Options for {@linkcode buildChallenge}: the server's identity and its nonce. */
export interface BuildChallengeOptions {
  /** The 8-byte server challenge (from the caller's random source). */
  serverChallenge: Uint8Array;
  /** Stamped into the MsvAvTimestamp pair. */
  now: Date;
  /** NetBIOS computer name, upper case (e.g. FILESRV01). */
  netbiosComputer: string;
  /** NetBIOS domain or workgroup (e.g. WORKGROUP). */
  netbiosDomain: string;
  /** DNS host name (e.g. filesrv01.corp.example). */
  dnsComputer: string;
  /** DNS domain (e.g. corp.example; empty for a standalone server). */
  dnsDomain: string;
  /**
   * Whose name goes in TargetName: a standalone server names itself, a domain
   * member its domain. @default "server"
   */
  targetType?: "server" | "domain";
  /** The 8-byte VERSION field. @default Samba's (6.1, build 0, NTLM revision 15) */
  version?: Uint8Array;
  /**
   * Whose flags to answer with: Windows also grants sealing when asked (the
   * CredSSP client encrypts its public key with it), Samba's auth does not.
   * @default "samba"
   */
  imitate?: "samba" | "windows";
}

const SAMBA_VERSION = Uint8Array.of(6, 1, 0, 0, 0, 0, 0, 15);
// What a Samba server offers before intersecting with the client's request
// (never LM_KEY: "lanman auth" is off by default).
const SERVER_FLAGS = NTLM_FLAGS.NTLM | NTLM_FLAGS.VERSION | NTLM_FLAGS.NEGOTIATE_128 |
  NTLM_FLAGS.NEGOTIATE_56 | NTLM_FLAGS.KEY_EXCH | NTLM_FLAGS.ALWAYS_SIGN |
  NTLM_FLAGS.EXTENDED_SESSIONSECURITY | NTLM_FLAGS.SIGN;
// Offered by the server only when the client asked for them too.
const IF_ASKED = NTLM_FLAGS.NEGOTIATE_128 | NTLM_FLAGS.NEGOTIATE_56 | NTLM_FLAGS.KEY_EXCH |
  NTLM_FLAGS.ALWAYS_SIGN | NTLM_FLAGS.EXTENDED_SESSIONSECURITY | NTLM_FLAGS.SIGN;
// FILETIME counts 100 ns ticks from 1601-01-01.
const EPOCH_DIFF_MS = 11_644_473_600_000n;

/**
 * Builds the CHALLENGE message (type 2) answering a NEGOTIATE the way Samba
 * does: the flags the client asked for that the server supports, TargetName,
 * and the target info pairs (NetBIOS domain, NetBIOS computer, DNS domain,
 * DNS computer, timestamp).
 *
 * @param negotiate the client's NEGOTIATE message
 * @param options server identity, challenge and clock
 * @returns the CHALLENGE message bytes
 * @throws {RangeError} when `serverChallenge` is not 8 bytes
 * @example
 * ```ts
 * import { parseNtlmMessage } from "./parse_ntlm_message.ts";
 * declare const type1: Uint8Array;
 * const negotiate = parseNtlmMessage(type1);
 * if (negotiate.type === 1) {
 *   buildChallenge(negotiate, {
 *     serverChallenge: crypto.getRandomValues(new Uint8Array(8)), now: new Date(),
 *     netbiosComputer: "FILESRV01", netbiosDomain: "WORKGROUP", dnsComputer: "filesrv01", dnsDomain: "",
 *   });
 * }
 * ```
 */
export function buildChallenge(
  negotiate: NtlmNegotiate,
  options: BuildChallengeOptions,
): Uint8Array {
  if (options.serverChallenge.length !== 8) {
    throw new RangeError(
      `Cannot build NTLMSSP challenge: serverChallenge must be 8 bytes, got ${options.serverChallenge.length}`,
    );
  }
  const flags = (challengeFlags(negotiate.flags, options.targetType ?? "server") |
    (options.imitate === "windows" ? negotiate.flags & NTLM_FLAGS.SEAL : 0)) >>> 0;
  const unicode = (flags & NTLM_FLAGS.UNICODE) !== 0;
  const targetName = flags & NTLM_FLAGS.REQUEST_TARGET
    ? encodeText(
      options.targetType === "domain" ? options.netbiosDomain : options.netbiosComputer,
      unicode,
    )
    : new Uint8Array(0);
  const targetInfo = buildTargetInfo(options);
  const header = 56;
  const out = new Uint8Array(header + targetName.length + targetInfo.length);
  const view = new DataView(out.buffer);
  out.set(NTLM_SIGNATURE, 0);
  view.setUint32(8, 2, true);
  setField(view, 12, targetName.length, header);
  view.setUint32(20, flags, true);
  out.set(options.serverChallenge, 24);
  setField(view, 40, targetInfo.length, header + targetName.length);
  out.set(options.version ?? SAMBA_VERSION, 48);
  out.set(targetName, header);
  out.set(targetInfo, header + targetName.length);
  return out;
}

function challengeFlags(asked: number, targetType: "server" | "domain"): number {
  let flags = (SERVER_FLAGS & ~IF_ASKED) | (SERVER_FLAGS & asked & IF_ASKED);
  flags |= asked & NTLM_FLAGS.UNICODE ? NTLM_FLAGS.UNICODE : NTLM_FLAGS.OEM;
  if (asked & NTLM_FLAGS.REQUEST_TARGET) {
    flags |= NTLM_FLAGS.REQUEST_TARGET |
      (targetType === "domain" ? NTLM_FLAGS.TARGET_TYPE_DOMAIN : NTLM_FLAGS.TARGET_TYPE_SERVER);
  }
  return (flags | NTLM_FLAGS.TARGET_INFO) >>> 0;
}

function buildTargetInfo(options: BuildChallengeOptions): Uint8Array {
  const ticks = (BigInt(options.now.getTime()) + EPOCH_DIFF_MS) * 10_000n;
  const timestamp = new Uint8Array(8);
  new DataView(timestamp.buffer).setBigUint64(0, ticks, true);
  const pairs: [number, Uint8Array][] = [
    [2, encodeText(options.netbiosDomain, true)],
    [1, encodeText(options.netbiosComputer, true)],
    [4, encodeText(options.dnsDomain, true)],
    [3, encodeText(options.dnsComputer, true)],
    [7, timestamp],
    [0, new Uint8Array(0)],
  ];
  const out = new Uint8Array(pairs.reduce((n, [, v]) => n + 4 + v.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [id, value] of pairs) {
    view.setUint16(at, id, true);
    view.setUint16(at + 2, value.length, true);
    out.set(value, at + 4);
    at += 4 + value.length;
  }
  return out;
}

function setField(view: DataView, at: number, length: number, offset: number): void {
  view.setUint16(at, length, true);
  view.setUint16(at + 2, length, true);
  view.setUint32(at + 4, offset, true);
}

function encodeText(text: string, unicode: boolean): Uint8Array {
  const out = new Uint8Array(unicode ? text.length * 2 : text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (unicode) {
      out[2 * i] = code & 0xff;
      out[2 * i + 1] = code >> 8;
    } else out[i] = code & 0xff;
  }
  return out;
}
