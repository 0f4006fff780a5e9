import { IPV4_REGEXP } from "./_ipv4.ts";

/** How a probed port answered: SYN-ACK, RST, or nothing before the timeout. */
export type ProbePortState = "open" | "closed" | "filtered";

/** One port of an active probe: what the source's stack answered to our SYN. */
export type TcpProbePort = {
  port: number;
  state: ProbePortState;
  /** The rest are null when nothing answered. */
  ttl: number | null;
  initial_ttl: number | null;
  hop_distance: number | null;
  window: number | null;
  mss: number | null;
  wscale: number | null;
  /** p0f-style layout of the reply's TCP options ("" for none). */
  options: string | null;
  /** The reply's TOS byte as a decimal string, and its DSCP and ECN. */
  tos: string | null;
  dscp: number | null;
  ecn: number | null;
  /** The server's initial sequence number (SYN-ACK); null for RST or no answer. */
  isn: number | null;
};

/**
 * One active probe of a source after its first contact (DECNET_PROBER=on):
 * one SYN per configured port from the decky it touched, and what came back.
 * The one wire shape for the journal (`kind: "tcp_probe"`) and the attacker
 * record's `tcp_fingerprint.probe`.
 */
export type TcpProbe = {
  kind: "tcp_probe";
  src_ip: string;
  /** The decky address the probe was sent from (the one the source touched). */
  decky: string;
  /** When the probe was sent (ISO 8601). */
  occurred_at: string;
  ports: TcpProbePort[];
};

const ISO_TIME_REGEXP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const OPTIONS_REGEXP = /^[a-z0-9?+,]{0,200}$/;
const STATES: readonly ProbePortState[] = ["open", "closed", "filtered"];
/** Most ports one probe may list (DECNET_PROBER_PORTS takes at most this many). */
export const MAX_PROBE_PORTS = 16;

/**
 * Checks a decoded JSON value (a journal line) is a {@linkcode TcpProbe}
 * and returns it with only the known fields.
 *
 * @throws {TypeError} naming the first bad field and its value
 * @example
 * ```ts
 * declare const line: string;
 * const probe = parseTcpProbe(JSON.parse(line));
 * ```
 */
export function parseTcpProbe(value: unknown): TcpProbe {
  const v = object(value, "probe");
  if (v.kind !== "tcp_probe") throw bad("kind", v.kind);
  const text = (o: Record<string, unknown>, field: string, pattern: RegExp): string => {
    const x = o[field];
    if (typeof x !== "string" || !pattern.test(x)) throw bad(field, x);
    return x;
  };
  if (!Array.isArray(v.ports) || v.ports.length > MAX_PROBE_PORTS) throw bad("ports", v.ports);
  return {
    kind: "tcp_probe",
    src_ip: text(v, "src_ip", IPV4_REGEXP),
    decky: text(v, "decky", IPV4_REGEXP),
    occurred_at: text(v, "occurred_at", ISO_TIME_REGEXP),
    ports: v.ports.map((raw): TcpProbePort => {
      const p = object(raw, "ports[]");
      const int = (field: string, max: number): number | null => {
        const x = p[field];
        if (x === null) return null;
        if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > max) throw bad(field, x);
        return x;
      };
      const port = int("port", 65535);
      if (port === null) throw bad("port", null);
      if (!STATES.includes(p.state as ProbePortState)) throw bad("state", p.state);
      return {
        port,
        state: p.state as ProbePortState,
        ttl: int("ttl", 255),
        initial_ttl: int("initial_ttl", 255),
        hop_distance: int("hop_distance", 255),
        window: int("window", 65535),
        mss: int("mss", 65535),
        wscale: int("wscale", 255),
        options: p.options === null ? null : text(p, "options", OPTIONS_REGEXP),
        tos: p.tos === null ? null : text(p, "tos", /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/),
        dscp: int("dscp", 63),
        ecn: int("ecn", 3),
        isn: int("isn", 0xffffffff),
      };
    }),
  };
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `Cannot read TCP probe: expected an object for ${what}, got ${typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

function bad(field: string, value: unknown): TypeError {
  const shown = typeof value === "string" ? `"${value.slice(0, 80)}"` : JSON.stringify(value);
  return new TypeError(`Cannot read TCP probe: bad ${field}, got ${shown}`);
}
