import type { Observation, ObservationPhase } from "./observation.ts";
import { parseInstant } from "./parse_instant.ts";
import { parseSimhash } from "./parse_simhash.ts";

/**
 * Checks one decoded JSON value against the observation contract and
 * returns it as an {@linkcode Observation}. Absent and null fields are
 * fine (left out); unknown fields are ignored; a present field of the
 * wrong shape is an error naming the field and the value.
 *
 * @throws {TypeError} when the value or a field has the wrong shape or value
 * @example
 * ```ts
 * parseObservation({ ip: "192.0.2.1", ja3: ["771,4865"], asn: 64500 });
 * parseObservation({ ja3: [] }); // throws: ip: expected a non-empty string, got undefined
 * ```
 */
export function parseObservation(value: unknown): Observation {
  if (!isRecord(value)) throw new TypeError(`Expected a JSON object, got ${show(value)}`);
  const ip = value.ip;
  if (typeof ip !== "string" || ip.trim() === "") {
    throw new TypeError(`ip: expected a non-empty string, got ${show(ip)}`);
  }
  const o: { -readonly [K in keyof Observation]: Observation[K] } = { ip: ip.trim() };
  if (present(value.asn)) {
    if (!Number.isSafeInteger(value.asn) || (value.asn as number) < 0) {
      throw new TypeError(`asn: expected a whole number, got ${show(value.asn)}`);
    }
    o.asn = value.asn as number;
  }
  if (present(value.tcp_fingerprint)) {
    o.tcp_fingerprint = text(value.tcp_fingerprint, "tcp_fingerprint");
  }
  for (const field of ["ja3", "hassh", "tools", "payload_hashes", "c2_endpoints"] as const) {
    if (present(value[field])) o[field] = textList(value[field], field);
  }
  if (present(value.kd_simhash)) {
    const simhash = value.kd_simhash;
    if (typeof simhash !== "string" || !parseSimhash(simhash)) {
      throw new TypeError(`kd_simhash: expected 16 hex digits, got ${show(simhash)}`);
    }
    o.kd_simhash = simhash.toLowerCase();
  }
  if (present(value.credentials)) {
    o.credentials = list(value.credentials, "credentials").map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || pair.some((s) => typeof s !== "string")) {
        throw new TypeError(
          `credentials[${i}]: expected [user, secret] strings, got ${show(pair)}`,
        );
      }
      return [pair[0], pair[1]] as const;
    });
  }
  if (present(value.sessions)) {
    o.sessions = list(value.sessions, "sessions").map((pair, i) => {
      const field = `sessions[${i}]`;
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${field}: expected [start, end] ISO 8601 times, got ${show(pair)}`);
      }
      const start = instant(pair[0], `${field}[0]`), end = instant(pair[1], `${field}[1]`);
      if (parseInstant(end) < parseInstant(start)) {
        throw new TypeError(`${field}: end is before start, got ${show(pair)}`);
      }
      return [start, end] as const;
    });
  }
  if (present(value.phases)) {
    o.phases = list(value.phases, "phases").map((p, i): ObservationPhase => {
      const field = `phases[${i}]`;
      if (!isRecord(p)) {
        throw new TypeError(`${field}: expected {decky, phase, at}, got ${show(p)}`);
      }
      return {
        decky: text(p.decky, `${field}.decky`),
        phase: text(p.phase, `${field}.phase`),
        at: instant(p.at, `${field}.at`),
      };
    });
  }
  return o;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${field}: expected a non-empty string, got ${show(value)}`);
  }
  return value;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${field}: expected a list, got ${show(value)}`);
  return value;
}

/** A list of strings; a lone string is taken as a list of one (a common slip, and unambiguous). */
function textList(value: unknown, field: string): string[] {
  const items = typeof value === "string" ? [value] : list(value, field);
  return items.map((item, i) => {
    if (typeof item !== "string") {
      throw new TypeError(`${field}[${i}]: expected a string, got ${show(item)}`);
    }
    return item;
  });
}

function instant(value: unknown, field: string): string {
  if (typeof value !== "string" || !Number.isFinite(parseInstant(value))) {
    throw new TypeError(`${field}: expected an ISO 8601 time, got ${show(value)}`);
  }
  return value;
}

function show(value: unknown): string {
  const shown = value === undefined ? "undefined" : JSON.stringify(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
