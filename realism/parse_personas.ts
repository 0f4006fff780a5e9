import { isValidTimeZone } from "./_zoned_time.ts";
import { TONES } from "./persona.ts";
import type { Persona, Tone } from "./persona.ts";
import { parseWorkWindow } from "./work_window.ts";

/** An entry {@linkcode parsePersonas} dropped, and why. */
export interface DroppedPersona {
  /** Position in the input array. */
  index: number;
  /** The entry's name when it had a usable one. */
  name: string | null;
  reason: string;
}

/** Result of {@linkcode parsePersonas}. */
export interface ParsePersonasResult {
  personas: Persona[];
  dropped: DroppedPersona[];
}

const EMAIL_REGEXP = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const LANGUAGE_REGEXP = /^[a-z]{2}$/;
const LATENCY_REGEXP = /^\s*(\d+)\s*([smhd])\s*-\s*(\d+)\s*([smhd])\s*$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const KNOWN_FIELDS = new Set([
  "name",
  "email",
  "role",
  "tone",
  "mannerisms",
  "language",
  "signature",
  "active_hours",
  "reply_latency",
  "uses_llms_heavily",
  "timezone",
]);

/**
 * Parses a reply latency "MIN-MAX" such as "10m-4h" into seconds.
 *
 * @returns `[min, max]` seconds, or null when malformed or min > max
 */
export function parseReplyLatency(latency: string): [number, number] | null {
  const m = LATENCY_REGEXP.exec(latency);
  if (!m) return null;
  const min = Number(m[1]) * UNIT_SECONDS[m[2]];
  const max = Number(m[3]) * UNIT_SECONDS[m[4]];
  return min <= max ? [min, max] : null;
}

function isText(v: unknown, maxLength: number): v is string {
  return typeof v === "string" && v.trim() !== "" && v.length <= maxLength;
}

/** Validates one entry; returns the persona or the reason it is unusable. */
function parseOne(raw: unknown): Persona | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return `expected an object, got ${
      raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw
    }`;
  }
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) return `unknown field(s): ${unknown.join(", ")}`;
  if (!isText(r.name, 120)) return `name: expected non-empty text up to 120 characters`;
  if (typeof r.email !== "string" || !EMAIL_REGEXP.test(r.email)) {
    return `email: expected an address like ana@example.com, got ${JSON.stringify(r.email)}`;
  }
  if (!isText(r.role, 120)) return "role: expected non-empty text up to 120 characters";
  if (!TONES.includes(r.tone as Tone)) {
    return `tone: expected one of ${TONES.join(", ")}, got ${JSON.stringify(r.tone)}`;
  }
  const mannerisms = r.mannerisms ?? [];
  if (
    !Array.isArray(mannerisms) || mannerisms.length > 20 ||
    !mannerisms.every((m) => isText(m, 200))
  ) {
    return "mannerisms: expected an array of up to 20 non-empty strings";
  }
  if (typeof r.language !== "string" || !LANGUAGE_REGEXP.test(r.language)) {
    return `language: expected an ISO 639-1 code such as "en", got ${JSON.stringify(r.language)}`;
  }
  if (r.signature !== undefined && r.signature !== null && !isText(r.signature, 500)) {
    return "signature: expected text up to 500 characters";
  }
  if (typeof r.active_hours !== "string" || parseWorkWindow(r.active_hours) === null) {
    return `active_hours: expected "HH:MM-HH:MM" with start != end, got ${
      JSON.stringify(r.active_hours)
    }`;
  }
  if (typeof r.reply_latency !== "string" || parseReplyLatency(r.reply_latency) === null) {
    return `reply_latency: expected "MIN-MAX" such as "10m-4h", got ${
      JSON.stringify(r.reply_latency)
    }`;
  }
  const heavy = r.uses_llms_heavily ?? false;
  if (typeof heavy !== "boolean") return "uses_llms_heavily: expected true or false";
  if (
    r.timezone !== undefined && r.timezone !== null &&
    (typeof r.timezone !== "string" || !isValidTimeZone(r.timezone))
  ) {
    return `timezone: expected an IANA zone such as "Europe/Berlin", got ${
      JSON.stringify(r.timezone)
    }`;
  }
  const persona: Persona = {
    name: (r.name as string).trim(),
    email: r.email,
    role: (r.role as string).trim(),
    tone: r.tone as Tone,
    mannerisms: Object.freeze([...(mannerisms as string[])]),
    language: r.language,
    ...(typeof r.signature === "string" ? { signature: r.signature } : {}),
    active_hours: r.active_hours.trim(),
    reply_latency: r.reply_latency.trim(),
    uses_llms_heavily: heavy,
    ...(typeof r.timezone === "string" ? { timezone: r.timezone } : {}),
  };
  return Object.freeze(persona);
}

/**
 * Validates a list of personas (parsed JSON: a file or an API body). Invalid
 * entries are dropped, each with a reason; later duplicates of a name are
 * dropped too (names identify personas in stored rows).
 *
 * @param input parsed JSON, expected to be an array
 * @returns the valid personas (frozen) and the dropped entries
 * @throws {TypeError} when the input is not an array
 * @example
 * ```ts
 * const { personas, dropped } = parsePersonas(JSON.parse(text));
 * for (const d of dropped) printError(`entry ${d.index}: ${d.reason}`);
 * ```
 */
export function parsePersonas(input: unknown): ParsePersonasResult {
  if (!Array.isArray(input)) {
    throw new TypeError(
      `Cannot parse personas: expected a JSON array, got ${input === null ? "null" : typeof input}`,
    );
  }
  const personas: Persona[] = [];
  const dropped: DroppedPersona[] = [];
  const seen = new Set<string>();
  input.forEach((raw, index) => {
    const rawName = typeof raw === "object" && raw !== null && typeof raw.name === "string"
      ? raw.name.trim()
      : null;
    const result = parseOne(raw);
    if (typeof result === "string") dropped.push({ index, name: rawName, reason: result });
    else if (seen.has(result.name)) {
      dropped.push({ index, name: rawName, reason: `name: duplicate of an earlier entry` });
    } else {
      seen.add(result.name);
      personas.push(result);
    }
  });
  return { personas, dropped };
}
