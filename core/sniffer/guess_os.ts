import { OS_SIGNATURES } from "./os_signatures.ts";
import type { OsSignature } from "./os_signatures.ts";
import type { SynPacket } from "./syn_packet.ts";
import { initialTtl } from "./ttl_hops.ts";

/** What `guessOs` returns when no signature matches. */
export const UNKNOWN_OS = "unknown";

/** How a signature constrains the TCP window. */
export type Window =
  | { kind: "any" }
  | { kind: "exact" | "mss" | "mtu" | "mod"; value: number };

/** A signature ready for matching (see {@linkcode compileSignatures}). */
export interface CompiledSignature {
  label: string;
  generic: boolean;
  /** Initial TTL, or -64 style: negative means "TTL at most this". */
  ttl: number;
  mss: number | null;
  window: Window;
  wscale: number | null;
  options: string | null;
  df: boolean | null;
  ipId: number | null;
  zeroIsn: boolean;
}

/**
 * Names the OS or tool behind a SYN from {@linkcode OS_SIGNATURES}, p0f-style:
 * the first specific signature that matches wins, else the first generic
 * one, else "unknown".
 *
 * @param packet the decoded SYN
 * @returns a label such as "Linux 3.11+", "Windows 10/11", "nmap SYN scan", or "unknown"
 * @example
 * ```ts
 * import type { SynPacket } from "./syn_packet.ts";
 * declare const syn: SynPacket;
 * guessOs(syn); // e.g. "Linux 3.11+"
 * ```
 */
export function guessOs(packet: SynPacket): string {
  return matchSignature(COMPILED, packet);
}

/**
 * Matches a packet against a table compiled by {@linkcode compileSignatures}.
 *
 * @param table compiled signatures in priority order
 * @param packet the decoded SYN
 * @returns the label of the best match, or "unknown"
 */
export function matchSignature(table: readonly CompiledSignature[], packet: SynPacket): string {
  let generic: string | null = null;
  for (const sig of table) {
    if (generic !== null && sig.generic) continue;
    if (!matches(sig, packet)) continue;
    if (!sig.generic) return sig.label;
    generic = sig.label;
  }
  return generic ?? UNKNOWN_OS;
}

/**
 * Parses a signature table into the matcher's form.
 *
 * @param table labels and their `sigs` strings
 * @returns the compiled signatures, table order kept
 * @throws {SyntaxError} when a sig string does not follow the notation, naming it
 */
export function compileSignatures(table: readonly OsSignature[]): CompiledSignature[] {
  return table.flatMap((entry) =>
    entry.sigs.map((sig) => compileOne(entry.label, entry.generic === true, sig))
  );
}

function compileOne(label: string, generic: boolean, sig: string): CompiledSignature {
  const fail = (why: string) =>
    new SyntaxError(`Cannot read OS signature "${sig}" of ${label}: ${why}`);
  const parts = sig.split(":");
  if (parts.length !== 5) throw fail(`expected 5 fields, got ${parts.length}`);
  const [ttlText, mssText, windowText, options, quirksText] = parts;
  const ttlMatch = /^(32|64|128|255)(-?)$/.exec(ttlText);
  if (!ttlMatch) throw fail(`expected ittl 32/64/128/255 with optional "-", got "${ttlText}"`);
  const [windowSize, scaleText, extra] = windowText.split(",");
  if (scaleText === undefined || extra !== undefined) {
    throw fail(`expected "window,wscale", got "${windowText}"`);
  }
  const quirks = quirksText === "" ? [] : quirksText.split(",");
  let df: boolean | null = null;
  let ipId: number | null = null;
  let zeroIsn = false;
  for (const quirk of quirks) {
    if (quirk === "df" || quirk === "!df") df = quirk === "df";
    else if (quirk === "seq-") zeroIsn = true;
    else if (quirk.startsWith("id=")) ipId = numberOf(quirk.slice(3), fail);
    else throw fail(`unknown quirk "${quirk}"`);
  }
  return {
    label,
    generic,
    ttl: ttlMatch[2] === "-" ? -Number(ttlMatch[1]) : Number(ttlMatch[1]),
    mss: mssText === "*" ? null : numberOf(mssText, fail),
    window: windowOf(windowSize, fail),
    wscale: scaleText === "*" ? null : numberOf(scaleText, fail),
    options: options === "*" ? null : options,
    df,
    ipId,
    zeroIsn,
  };
}

function windowOf(text: string, fail: (why: string) => Error): Window {
  if (text === "*") return { kind: "any" };
  const prefixed = /^(mss\*|mtu\*|%)(\d+)$/.exec(text);
  if (!prefixed) return { kind: "exact", value: numberOf(text, fail) };
  const kind = prefixed[1] === "mss*" ? "mss" : prefixed[1] === "mtu*" ? "mtu" : "mod";
  return { kind, value: Number(prefixed[2]) };
}

function numberOf(text: string, fail: (why: string) => Error): number {
  if (!/^\d+$/.test(text)) throw fail(`expected a number, got "${text}"`);
  return Number(text);
}

function matches(sig: CompiledSignature, packet: SynPacket): boolean {
  const options = packet.options;
  if (sig.options !== null && sig.options !== options.signature) return false;
  if (sig.ttl < 0 ? packet.ttl > -sig.ttl : initialTtl(packet.ttl) !== sig.ttl) return false;
  if (sig.mss !== null && sig.mss !== options.mss) return false;
  if (sig.wscale !== null && sig.wscale !== (options.wscale ?? 0)) return false;
  if (sig.df !== null && sig.df !== packet.df) return false;
  if (sig.ipId !== null && sig.ipId !== packet.ipId) return false;
  if (sig.zeroIsn && packet.isn !== 0) return false;
  return windowMatches(sig.window, packet);
}

function windowMatches(window: Window, packet: SynPacket): boolean {
  const mss = packet.options.mss;
  switch (window.kind) {
    case "any":
      return true;
    case "exact":
      return packet.window === window.value;
    case "mod":
      return packet.window % window.value === 0;
    case "mss":
      return mss !== null && mss > 0 && packet.window === mss * window.value;
    case "mtu": {
      // The MTU an MSS implies: IPv4 and TCP headers are 40 bytes, IPv6 and TCP 60.
      const mtu = mss === null ? 0 : mss + (packet.ipVersion === 4 ? 40 : 60);
      return mtu > 0 && packet.window === mtu * window.value;
    }
  }
}

const COMPILED = compileSignatures(OS_SIGNATURES);
