import { SEQUENCE_CLASSES } from "./tcp_fingerprint.ts";
import type { SequenceClass, TcpFingerprint } from "./tcp_fingerprint.ts";

const IP_TEXT_REGEXP = /^[0-9A-Fa-f:.]{2,45}$/;
const ISO_TIME_REGEXP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const OPTIONS_REGEXP = /^[a-z0-9?+,]{0,200}$/;

/**
 * Checks a decoded JSON value (a journal line, a bus payload) is a
 * {@linkcode TcpFingerprint} and returns it with only the known fields.
 *
 * @param value the decoded JSON
 * @returns the fingerprint
 * @throws {TypeError} naming the first bad field and its value
 * @example
 * ```ts
 * declare const line: string;
 * const event = parseTcpFingerprint(JSON.parse(line));
 * ```
 */
export function parseTcpFingerprint(value: unknown): TcpFingerprint {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Cannot read TCP fingerprint: expected an object, got ${typeof value}`);
  }
  const v = value as Record<string, unknown>;
  const text = (field: string, pattern: RegExp): string => {
    const x = v[field];
    if (typeof x !== "string" || !pattern.test(x)) throw bad(field, x);
    return x;
  };
  const int = (field: string, min: number, max: number): number => {
    const x = v[field];
    if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) throw bad(field, x);
    return x;
  };
  const intOrNull = (field: string, min: number, max: number): number | null =>
    v[field] === null ? null : int(field, min, max);
  const flag = (field: string): boolean => {
    if (typeof v[field] !== "boolean") throw bad(field, v[field]);
    return v[field] as boolean;
  };
  const cls = (field: string): SequenceClass => {
    const x = v[field];
    if (!SEQUENCE_CLASSES.includes(x as SequenceClass)) throw bad(field, x);
    return x as SequenceClass;
  };
  return {
    src_ip: text("src_ip", IP_TEXT_REGEXP),
    decky: text("decky", IP_TEXT_REGEXP),
    dst_port: int("dst_port", 0, 65535),
    ttl: int("ttl", 0, 255),
    initial_ttl: int("initial_ttl", 0, 255),
    hop_distance: int("hop_distance", 0, 255),
    window: int("window", 0, 65535),
    mss: intOrNull("mss", 0, 65535),
    wscale: intOrNull("wscale", 0, 255),
    options: text("options", OPTIONS_REGEXP),
    has_sack: flag("has_sack"),
    has_timestamps: flag("has_timestamps"),
    tos: text("tos", /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/),
    dscp: int("dscp", 0, 63),
    ecn: int("ecn", 0, 3),
    os_guess: text("os_guess", /^[\x20-\x7e]{1,64}$/),
    ipid_class: cls("ipid_class"),
    ipid_samples: int("ipid_samples", 0, 1024),
    isn_class: cls("isn_class"),
    isn_samples: int("isn_samples", 0, 1024),
    repeats: int("repeats", 0, Number.MAX_SAFE_INTEGER),
    occurred_at: text("occurred_at", ISO_TIME_REGEXP),
  };
}

function bad(field: string, value: unknown): TypeError {
  const shown = typeof value === "string" ? `"${value.slice(0, 80)}"` : String(value);
  return new TypeError(`Cannot read TCP fingerprint: bad ${field}, got ${shown}`);
}
