import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";

/** Flags smbclient (Samba 4.17) sends in its NEGOTIATE. */
export const SMBCLIENT_FLAGS = 0x62088215;

/** A NEGOTIATE message with the given flags and no domain or workstation. */
export function makeNegotiate(flags = SMBCLIENT_FLAGS): Uint8Array {
  const out = new Uint8Array(40);
  out.set(new TextEncoder().encode("NTLMSSP\0"));
  const view = new DataView(out.buffer);
  view.setUint32(8, 1, true);
  view.setUint32(12, flags, true);
  out.set([10, 0, 0x63, 0x45, 0, 0, 0, 15], 32);
  return out;
}

/** What goes into {@linkcode makeAuthenticate}. */
export interface AuthenticateFields {
  username?: string;
  domain?: string;
  workstation?: string;
  lm?: Uint8Array;
  nt?: Uint8Array;
  flags?: number;
}

/** An AUTHENTICATE message (Unicode strings) laid out as Windows does. */
export function makeAuthenticate(fields: AuthenticateFields = {}): Uint8Array {
  const flags = fields.flags ?? 0xe2888215;
  const text = (s: string) => flags & 1 ? utf16(s) : Uint8Array.from(s, (c) => c.charCodeAt(0));
  const parts = [
    fields.lm ?? new Uint8Array(24),
    fields.nt ?? new Uint8Array(24),
    text(fields.domain ?? "CORP"),
    text(fields.username ?? "alice"),
    text(fields.workstation ?? "WS01"),
    new Uint8Array(16),
  ];
  const header = 88;
  const out = new Uint8Array(header + parts.reduce((n, p) => n + p.length, 0));
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode("NTLMSSP\0"));
  view.setUint32(8, 3, true);
  let at = header;
  parts.forEach((part, i) => {
    view.setUint16(12 + 8 * i, part.length, true);
    view.setUint16(14 + 8 * i, part.length, true);
    view.setUint32(16 + 8 * i, at, true);
    out.set(part, at);
    at += part.length;
  });
  view.setUint32(60, flags, true);
  return out;
}

/** NTProofStr = HMAC-MD5(NTOWFv2(password, user, domain), challenge || blob) (MS-NLMP 3.3.2). */
export function ntProofStr(
  password: string,
  who: { username: string; domain: string },
  challengeAndBlob: Uint8Array,
): Uint8Array {
  const ntHash = createHash("md4").update(utf16(password)).digest();
  const ntowfv2 = createHmac("md5", ntHash).update(utf16(who.username.toUpperCase() + who.domain))
    .digest();
  return new Uint8Array(createHmac("md5", ntowfv2).update(challengeAndBlob).digest());
}

/** UTF-16LE bytes of a string. */
export function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** Lower-case hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of a hex string. */
export function unhex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** The parts of a CHALLENGE message the tests compare. */
export interface ParsedChallenge {
  flags: number;
  targetName: Uint8Array;
  serverChallenge: Uint8Array;
  version: Uint8Array;
  /** AV pairs in order: id and value. */
  targetInfo: [number, Uint8Array][];
}

/** Reads a CHALLENGE message (the sensor never receives one, so only tests parse it). */
export function parseChallenge(bytes: Uint8Array): ParsedChallenge {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8, true) !== 2) throw new Error("not a CHALLENGE message");
  const field = (at: number) => {
    const length = view.getUint16(at, true);
    const offset = view.getUint32(at + 4, true);
    return bytes.slice(offset, offset + length);
  };
  const info = field(40);
  const infoView = new DataView(info.buffer);
  const targetInfo: [number, Uint8Array][] = [];
  for (let at = 0; at + 4 <= info.length;) {
    const id = infoView.getUint16(at, true);
    const length = infoView.getUint16(at + 2, true);
    targetInfo.push([id, info.slice(at + 4, at + 4 + length)]);
    at += 4 + length;
    if (id === 0) break;
  }
  return {
    flags: view.getUint32(20, true),
    targetName: field(12),
    serverChallenge: bytes.slice(24, 32),
    version: bytes.slice(48, 56),
    targetInfo,
  };
}

/** Checks a NetNTLMv2 hashcat line the way hashcat would: its NTProofStr from the password. */
export function assertV2LineCracks(line: string, password: string): void {
  const [username, empty, domain, challenge, proof, blob] = line.split(":");
  assert.equal(empty, "");
  assert.match(challenge, /^[0-9a-f]{16}$/);
  assert.match(proof, /^[0-9a-f]{32}$/);
  assert.match(blob, /^0101000000000000[0-9a-f]+$/);
  const expected = ntProofStr(password, { username, domain }, unhex(challenge + blob));
  assert.deepEqual(unhex(proof), expected);
}

/**
 * An NTLMv2 NtChallengeResponse (MS-NLMP 3.3.2) to `serverChallenge` from
 * the password, with the server's target info in the blob as clients put it.
 */
export function ntlmV2Response(
  password: string,
  who: { username: string; domain: string },
  serverChallenge: Uint8Array,
  targetInfo: Uint8Array,
): Uint8Array {
  const blob = new Uint8Array(28 + targetInfo.length + 4);
  blob.set([1, 1], 0);
  blob.set(crypto.getRandomValues(new Uint8Array(8)), 16); // client challenge
  blob.set(targetInfo, 28);
  const challengeAndBlob = new Uint8Array(8 + blob.length);
  challengeAndBlob.set(serverChallenge);
  challengeAndBlob.set(blob, 8);
  const proof = ntProofStr(password, who, challengeAndBlob);
  const out = new Uint8Array(16 + blob.length);
  out.set(proof);
  out.set(blob, 16);
  return out;
}
