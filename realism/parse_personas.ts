import { isValidTimeZone } from "./_zoned_time.ts";
import { TONES } from "./persona.ts";
import type { Persona, Tone } from "./persona.ts";
import { validatePersonaName } from "./validate_persona_name.ts";
import { parseWorkWindow } from "./work_window.ts";

/** An entry {@linkcode parsePersonas} dropped, and why. */
export interface DroppedPersona {
  /** Position in the input array. */
  index: number;
  /** The entry's name when it had a usable one. */
  name: string | null;
  /** The field at fault ("" for the entry as a whole). */
  field: string;
  /** `<field>: <what was expected>`, or what is wrong with the entry as a whole. */
  reason: string;
}

/** Result of {@linkcode parsePersonas}. */
export interface ParsePersonasResult {
  personas: Persona[];
  dropped: DroppedPersona[];
}

/** One thing wrong with a persona entry. */
export interface PersonaIssue {
  /** The field at fault ("" for the entry as a whole). */
  field: string;
  /** What was expected, lower case ("expected ..."). */
  message: string;
}

// An address part: no white space, control character or RFC 5322 special,
// so an address can neither end a mail header nor add a recipient to it.
const EMAIL_REGEXP =
  // deno-lint-ignore no-control-regex
  /^[^\s()<>@,;:\\"[\]\u0000-\u001f\u007f-\u009f]+@[^\s()<>@,;:\\"[\]\u0000-\u001f\u007f-\u009f]+\.[^\s()<>@,;:\\"[\]\u0000-\u001f\u007f-\u009f.]+$/;
// Fields that end up on one line of a file or a mail header take no control
// character (nor Unicode line separators); a signature may span lines.
// deno-lint-ignore no-control-regex
const LINE_CONTROL_REGEXP = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// deno-lint-ignore no-control-regex
const TEXT_CONTROL_REGEXP = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
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

function isLine(v: unknown, maxLength: number): v is string {
  return typeof v === "string" && v.trim() !== "" && v.length <= maxLength &&
    !LINE_CONTROL_REGEXP.test(v);
}

/**
 * Everything wrong with one persona entry (parsed JSON: a pool file entry,
 * an API body entry or the dashboard's draft), in field order; empty when
 * the entry is usable. The one set of persona rules: the pool loader, the
 * API and the dashboard's editor all apply it.
 *
 * @param raw one entry, expected to be an object
 * @returns the issues, each naming its field
 * @example
 * ```ts
 * import type { Persona } from "./persona.ts";
 * declare const persona: Persona;
 * personaIssues({ ...persona, email: "ana" }); // [{ field: "email", message: "expected an address like ..." }]
 * ```
 */
export function personaIssues(raw: unknown): PersonaIssue[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const got = raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw;
    return [{ field: "", message: `expected an object, got ${got}` }];
  }
  const r = raw as Record<string, unknown>;
  const issues: PersonaIssue[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });
  const unknown = Object.keys(r).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) issue("", `unknown field(s): ${unknown.join(", ")}`);
  try {
    if (typeof r.name !== "string") throw new SyntaxError("expected a display name");
    validatePersonaName(r.name);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    issue("name", e.message);
  }
  if (typeof r.email !== "string" || !EMAIL_REGEXP.test(r.email)) {
    issue("email", `expected an address like ana@example.com, got ${JSON.stringify(r.email)}`);
  }
  if (!isLine(r.role, 120)) {
    issue("role", "expected one line of text up to 120 characters");
  }
  if (!TONES.includes(r.tone as Tone)) {
    issue("tone", `expected one of ${TONES.join(", ")}, got ${JSON.stringify(r.tone)}`);
  }
  const mannerisms = r.mannerisms ?? [];
  if (
    !Array.isArray(mannerisms) || mannerisms.length > 20 ||
    !mannerisms.every((m) => isLine(m, 200))
  ) {
    issue("mannerisms", "expected up to 20 lines of text of up to 200 characters each");
  }
  if (typeof r.language !== "string" || !LANGUAGE_REGEXP.test(r.language)) {
    issue(
      "language",
      `expected an ISO 639-1 code such as "en", got ${JSON.stringify(r.language)}`,
    );
  }
  if (
    r.signature !== undefined && r.signature !== null &&
    (typeof r.signature !== "string" || r.signature.trim() === "" ||
      r.signature.length > 500 || TEXT_CONTROL_REGEXP.test(r.signature))
  ) {
    issue("signature", "expected text up to 500 characters (lines, no other control character)");
  }
  if (typeof r.active_hours !== "string" || parseWorkWindow(r.active_hours) === null) {
    issue(
      "active_hours",
      `expected "HH:MM-HH:MM" with start != end, got ${JSON.stringify(r.active_hours)}`,
    );
  }
  if (typeof r.reply_latency !== "string" || parseReplyLatency(r.reply_latency) === null) {
    issue(
      "reply_latency",
      `expected "MIN-MAX" such as "10m-4h", got ${JSON.stringify(r.reply_latency)}`,
    );
  }
  const heavy = r.uses_llms_heavily ?? false;
  if (typeof heavy !== "boolean") issue("uses_llms_heavily", "expected true or false");
  if (
    r.timezone !== undefined && r.timezone !== null &&
    (typeof r.timezone !== "string" || !isValidTimeZone(r.timezone))
  ) {
    issue(
      "timezone",
      `expected an IANA zone such as "Europe/Berlin", got ${JSON.stringify(r.timezone)}`,
    );
  }
  return issues;
}

/**
 * Whether a persona reuses the name or the email address (letter case
 * aside) of an earlier one: names identify personas in stored rows,
 * addresses their mailboxes.
 *
 * @param persona the newcomer
 * @param earlier the personas already accepted
 * @returns the issue, or null when both are its own
 * @example
 * ```ts
 * duplicatePersonaIssue({ name: "B", email: "ANA@x.io" }, [{ name: "A", email: "ana@x.io" }]);
 * // { field: "email", message: "another persona already uses this address" }
 * ```
 */
export function duplicatePersonaIssue(
  persona: Pick<Persona, "name" | "email">,
  earlier: readonly Pick<Persona, "name" | "email">[],
): PersonaIssue | null {
  const name = persona.name.trim();
  const email = persona.email.trim().toLowerCase();
  if (earlier.some((p) => p.name.trim() === name)) {
    return { field: "name", message: "another persona already has this name" };
  }
  if (earlier.some((p) => p.email.trim().toLowerCase() === email)) {
    return { field: "email", message: "another persona already uses this address" };
  }
  return null;
}

/** The persona of an entry {@linkcode personaIssues} found nothing wrong with. */
function toPersona(r: Record<string, unknown>): Persona {
  const persona: Persona = {
    name: (r.name as string).trim(),
    email: r.email as string,
    role: (r.role as string).trim(),
    tone: r.tone as Tone,
    mannerisms: Object.freeze([...((r.mannerisms ?? []) as string[])]),
    language: r.language as string,
    ...(typeof r.signature === "string" ? { signature: r.signature } : {}),
    active_hours: (r.active_hours as string).trim(),
    reply_latency: (r.reply_latency as string).trim(),
    uses_llms_heavily: (r.uses_llms_heavily ?? false) as boolean,
    ...(typeof r.timezone === "string" ? { timezone: r.timezone } : {}),
  };
  return Object.freeze(persona);
}

/**
 * Validates a list of personas (parsed JSON: a file or an API body). Invalid
 * entries are dropped, each with a reason; so are later duplicates of a name
 * or an address ({@linkcode duplicatePersonaIssue}).
 *
 * @param input parsed JSON, expected to be an array
 * @returns the valid personas (frozen) and the dropped entries
 * @throws {TypeError} when the input is not an array
 * @example
 * ```ts
 * import { parsePersonas } from "./parse_personas.ts";
 * import { printError } from "../core/log/print.ts";
 * const text = await Deno.readTextFile("/etc/decnet/email_personas.json");
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
  input.forEach((raw, index) => {
    const issues = personaIssues(raw);
    // A name that failed its check is not echoed back (it may hold control characters).
    const name = issues.some((i) => i.field === "name") ? null : (raw?.name?.trim() ?? null);
    const drop = (field: string, message: string) =>
      dropped.push({ index, name, field, reason: field ? `${field}: ${message}` : message });
    if (issues.length > 0) return drop(issues[0].field, issues[0].message);
    const persona = toPersona(raw);
    const duplicate = duplicatePersonaIssue(persona, personas);
    if (duplicate) return drop(duplicate.field, duplicate.message);
    personas.push(persona);
  });
  return { personas, dropped };
}
