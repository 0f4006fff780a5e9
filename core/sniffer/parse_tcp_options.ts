import { readUint32 } from "./_bytes.ts";
import type { TcpOptions } from "./syn_packet.ts";

const KIND_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: "eol",
  1: "nop",
  2: "mss",
  3: "ws",
  4: "sok",
  5: "sack",
  8: "ts",
});

/**
 * Decodes a TCP options area the way p0f v3 lays it out: kinds in order,
 * "eol+N" where N counts the bytes after the end-of-list, "?K" for a kind it
 * has no name for. A malformed option (bad length, running past the area)
 * stops the walk and sets `malformed` rather than throwing.
 *
 * @param bytes the frame holding the options
 * @param start first option byte
 * @param end one past the last option byte (start + data offset * 4 - 20)
 * @returns the decoded options
 * @example
 * ```ts
 * const area = Uint8Array.of(2, 4, 5, 180, 1, 3, 3, 7, 4, 2, 0, 0);
 * parseTcpOptions(area, 0, area.length).signature; // "mss,nop,ws,sok,eol+1"
 * ```
 */
export function parseTcpOptions(bytes: Uint8Array, start: number, end: number): TcpOptions {
  const out: TcpOptions = {
    mss: null,
    wscale: null,
    sackPermitted: false,
    timestamps: false,
    tsVal: 0,
    signature: "",
    malformed: false,
  };
  const kinds: string[] = [];
  let at = start;
  while (at < end) {
    const kind = bytes[at];
    if (kind === 0) {
      kinds.push(`eol+${end - at - 1}`);
      break;
    }
    if (kind === 1) {
      kinds.push("nop");
      at++;
      continue;
    }
    const length = at + 1 < end ? bytes[at + 1] : 0;
    if (length < 2 || at + length > end) {
      kinds.push(KIND_NAMES[kind] ?? `?${kind}`);
      out.malformed = true;
      break;
    }
    kinds.push(KIND_NAMES[kind] ?? `?${kind}`);
    if (kind === 2 && length === 4) out.mss = (bytes[at + 2] << 8) | bytes[at + 3];
    else if (kind === 3 && length === 3) out.wscale = bytes[at + 2];
    else if (kind === 4) out.sackPermitted = true;
    else if (kind === 8 && length === 10) {
      out.timestamps = true;
      out.tsVal = readUint32(bytes, at + 2);
    }
    at += length;
  }
  out.signature = kinds.join(",");
  return out;
}
