import { IPV4_REGEXP } from "./_ipv4.ts";
import { SEQUENCE_CLASSES, type SequenceClass, type TcpFingerprint } from "./tcp_fingerprint.ts";

/**
 * The fingerprint event in a sniffer journal line, or null when the line is
 * not one (the journal is written by another process: nothing of an
 * unexpected shape gets stored).
 *
 * @example
 * ```ts
 * import { decodeFingerprintRecord } from "./fingerprint_record.ts";
 * declare const line: string; // one line of a sniffer journal segment
 * const event = decodeFingerprintRecord(line); // null when it is not a fingerprint event
 * ```
 */
export function decodeFingerprintRecord(line: string): TcpFingerprint | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const at = typeof v.occurred_at === "string" ? new Date(v.occurred_at) : null;
  const ok = address(v.src_ip) && address(v.decky) && int(v.dst_port, 0, 65535) &&
    int(v.ttl, 0, 255) && int(v.initial_ttl, 0, 255) && int(v.hop_distance, 0, 255) &&
    int(v.window, 0, 65535) && (v.mss === null || int(v.mss, 0, 65535)) &&
    (v.wscale === null || int(v.wscale, 0, 255)) && text(v.options, 512) &&
    typeof v.has_sack === "boolean" && typeof v.has_timestamps === "boolean" &&
    typeof v.tos === "string" && /^\d{1,3}$/.test(v.tos) && int(v.dscp, 0, 63) &&
    int(v.ecn, 0, 3) && text(v.os_guess, 128) && sequenceClass(v.ipid_class) &&
    int(v.ipid_samples, 0, 1024) && sequenceClass(v.isn_class) && int(v.isn_samples, 0, 1024) &&
    int(v.repeats, 0, Number.MAX_SAFE_INTEGER) && at !== null && !Number.isNaN(at.getTime());
  if (!ok) return null;
  return {
    src_ip: v.src_ip as string,
    decky: v.decky as string,
    dst_port: v.dst_port as number,
    ttl: v.ttl as number,
    initial_ttl: v.initial_ttl as number,
    hop_distance: v.hop_distance as number,
    window: v.window as number,
    mss: v.mss as number | null,
    wscale: v.wscale as number | null,
    options: v.options as string,
    has_sack: v.has_sack as boolean,
    has_timestamps: v.has_timestamps as boolean,
    tos: v.tos as string,
    dscp: v.dscp as number,
    ecn: v.ecn as number,
    os_guess: v.os_guess as string,
    ipid_class: v.ipid_class as SequenceClass,
    ipid_samples: v.ipid_samples as number,
    isn_class: v.isn_class as SequenceClass,
    isn_samples: v.isn_samples as number,
    repeats: v.repeats as number,
    occurred_at: at!.toISOString(),
  };
}

function address(v: unknown): boolean {
  // IPv6 sources are text with colons; the sniffer only watches IPv4 deckies.
  return typeof v === "string" && (IPV4_REGEXP.test(v) || /^[0-9a-f:.]{2,45}$/i.test(v));
}

function int(v: unknown, min: number, max: number): boolean {
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
}

function text(v: unknown, max: number): boolean {
  return typeof v === "string" && v.length <= max;
}

function sequenceClass(v: unknown): boolean {
  return SEQUENCE_CLASSES.includes(v as SequenceClass);
}
