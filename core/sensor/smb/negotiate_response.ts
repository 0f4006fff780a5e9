import { fileTime } from "./_smb2.ts";
import type { NegotiateRequest } from "./parse_negotiate.ts";
import { spnegoServerInit } from "../ntlmssp/mod.ts";

/** The server's side of a negotiation. */
export interface NegotiateResponseOptions {
  serverGuid: Uint8Array;
  now: Date;
  /** Random bytes for the 3.1.1 preauth integrity salt. */
  random: (n: number) => Uint8Array;
}

// Samba 4.17's dialects, most preferred first; the SMB1 "SMB 2.???" wildcard
// wins over "SMB 2.002" so the client renegotiates in SMB2.
const DIALECTS = [0x02ff, 0x0311, 0x0302, 0x0300, 0x0210, 0x0202];
const CAP_DFS = 0x01, CAP_LEASING = 0x02, CAP_LARGE_MTU = 0x04, CAP_MULTI_CHANNEL = 0x08;
const CAP_ENCRYPTION = 0x40;
const CONTEXT_PREAUTH = 1, CONTEXT_ENCRYPTION = 2, CONTEXT_SIGNING = 8;
// Samba's cipher and signing preferences (AES-128-GCM, AES-128-CCM, AES-256-GCM, AES-256-CCM; AES-GMAC, AES-CMAC, HMAC-SHA256).
const CIPHERS = [2, 1, 4, 3];
const SIGNING = [2, 1, 0];

/**
 * The body of the NEGOTIATE response Samba sends for the request, or
 * undefined when no dialect is shared (Samba then drops the connection).
 */
export function negotiateResponse(
  request: NegotiateRequest,
  options: NegotiateResponseOptions,
): Uint8Array | undefined {
  const dialect = DIALECTS.find((d) => request.dialects.includes(d));
  if (dialect === undefined) return undefined;
  const largeMtu = dialect >= 0x0210;
  let capabilities = CAP_DFS;
  if (largeMtu) capabilities |= CAP_LEASING | CAP_LARGE_MTU;
  // Offered back only to clients that announce them (3.1.1 negotiates
  // encryption in a context instead).
  const smb3 = dialect >= 0x0300 && dialect !== 0x02ff;
  if (smb3) capabilities |= request.capabilities & CAP_MULTI_CHANNEL;
  if (smb3 && dialect !== 0x0311) capabilities |= request.capabilities & CAP_ENCRYPTION;
  const maxSize = largeMtu ? 8 * 1024 * 1024 : 65536;
  const contexts = dialect === 0x0311 ? buildContexts(request, options) : new Uint8Array(0);
  const blob = spnegoServerInit();
  const blobAt = 64 + 64;
  const contextAt = contexts.length ? align8(blobAt + blob.length) : 0;
  const out = new Uint8Array((contextAt ? contextAt + contexts.length : blobAt + blob.length) - 64);
  const view = new DataView(out.buffer);
  view.setUint16(0, 65, true);
  view.setUint16(2, 0x0001, true); // signing enabled, not required
  view.setUint16(4, dialect, true);
  view.setUint16(6, contexts.length ? contextCount(contexts) : 0, true);
  out.set(options.serverGuid, 8);
  view.setUint32(24, capabilities, true);
  view.setUint32(28, maxSize, true);
  view.setUint32(32, maxSize, true);
  view.setUint32(36, maxSize, true);
  view.setBigUint64(40, fileTime(options.now), true);
  view.setBigUint64(48, 0n, true);
  view.setUint16(56, blobAt, true);
  view.setUint16(58, blob.length, true);
  view.setUint32(60, contextAt, true);
  out.set(blob, blobAt - 64);
  if (contexts.length) out.set(contexts, contextAt - 64);
  return out;
}

function buildContexts(request: NegotiateRequest, options: NegotiateResponseOptions): Uint8Array {
  const parts: Uint8Array[] = [];
  // HashAlgorithmCount 1, SaltLength 32, SHA-512, salt.
  parts.push(
    context(CONTEXT_PREAUTH, concat(Uint8Array.of(1, 0, 32, 0, 1, 0), options.random(32))),
  );
  const ciphers = request.contexts.get(CONTEXT_ENCRYPTION);
  if (ciphers) {
    parts.push(context(CONTEXT_ENCRYPTION, u16List([pick(CIPHERS, u16s(ciphers))])));
  }
  const signing = request.contexts.get(CONTEXT_SIGNING);
  if (signing) parts.push(context(CONTEXT_SIGNING, u16List([pick(SIGNING, u16s(signing))])));
  const out: number[] = [];
  for (const part of parts) {
    while (out.length % 8) out.push(0);
    out.push(...part);
  }
  return Uint8Array.from(out);
}

/** The first of the server's preferences the client offered, else 0. */
function pick(preferred: number[], offered: number[]): number {
  return preferred.find((p) => offered.includes(p)) ?? 0;
}

/** A count-prefixed list of u16 values (cipher and signing contexts). */
function u16s(data: Uint8Array): number[] {
  if (data.length < 2) return [];
  const count = data[0] | (data[1] << 8);
  const out: number[] = [];
  for (let i = 0; i < count && 2 + 2 * i + 1 < data.length; i++) {
    out.push(data[2 + 2 * i] | (data[3 + 2 * i] << 8));
  }
  return out;
}

function u16List(values: number[]): Uint8Array {
  const out = new Uint8Array(2 + 2 * values.length);
  out[0] = values.length;
  values.forEach((v, i) => {
    out[2 + 2 * i] = v & 0xff;
    out[3 + 2 * i] = v >> 8;
  });
  return out;
}

function context(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  out[0] = type & 0xff;
  out[1] = type >> 8;
  out[2] = data.length & 0xff;
  out[3] = data.length >> 8;
  out.set(data, 8);
  return out;
}

function contextCount(contexts: Uint8Array): number {
  let count = 0;
  for (let at = 0; at + 8 <= contexts.length; count++) {
    at = align8(at + 8 + (contexts[at + 2] | (contexts[at + 3] << 8)));
  }
  return count;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
