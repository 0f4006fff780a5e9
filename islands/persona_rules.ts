/** A persona as the API sends and takes it (snake_case, as in the pool file). */
export interface PersonaDraft {
  name: string;
  email: string;
  role: string;
  tone: string;
  mannerisms: string[];
  language: string;
  signature?: string;
  active_hours: string;
  reply_latency: string;
  uses_llms_heavily: boolean;
  timezone?: string;
}

/** Tones a persona may have (as realism/persona.ts). */
export const PERSONA_TONES = ["formal", "direct", "casual", "technical", "custom"] as const;

const EMAIL_REGEXP = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const LANGUAGE_REGEXP = /^[a-z]{2}$/;
const HOURS_REGEXP = /^\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)\s*$/;
const LATENCY_REGEXP = /^\s*(\d+)\s*([smhd])\s*-\s*(\d+)\s*([smhd])\s*$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Field -> message for everything wrong with one persona (empty when
 * valid); the same rules the server applies, so mistakes show while typing.
 *
 * @example
 * ```ts
 * validatePersona({ ...draft, email: "nope" }).email; // "Expected an address like ana@example.com"
 * ```
 */
export function validatePersona(p: PersonaDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  const text = (v: string | undefined, max: number) =>
    typeof v === "string" && v.trim().length > 0 && v.length <= max;
  if (!text(p.name, 120)) errors.name = "Expected a name up to 120 characters";
  if (!EMAIL_REGEXP.test(p.email ?? "")) errors.email = "Expected an address like ana@example.com";
  if (!text(p.role, 120)) errors.role = "Expected a role up to 120 characters";
  if (!(PERSONA_TONES as readonly string[]).includes(p.tone)) {
    errors.tone = `Expected one of ${PERSONA_TONES.join(", ")}`;
  }
  if (p.mannerisms.length > 20 || !p.mannerisms.every((m) => text(m, 200))) {
    errors.mannerisms = "Expected up to 20 non-empty lines of up to 200 characters";
  }
  if (!LANGUAGE_REGEXP.test(p.language ?? "")) {
    errors.language = 'Expected an ISO 639-1 code such as "en"';
  }
  if (p.signature !== undefined && p.signature.length > 500) {
    errors.signature = "Expected up to 500 characters";
  }
  const hours = HOURS_REGEXP.exec(p.active_hours ?? "");
  if (!hours || `${hours[1]}:${hours[2]}` === `${hours[3]}:${hours[4]}`) {
    errors.active_hours = 'Expected "HH:MM-HH:MM" with start different from end';
  }
  const latency = LATENCY_REGEXP.exec(p.reply_latency ?? "");
  if (
    !latency ||
    Number(latency[1]) * UNIT_SECONDS[latency[2]] > Number(latency[3]) * UNIT_SECONDS[latency[4]]
  ) {
    errors.reply_latency = 'Expected "MIN-MAX" such as "10m-4h"';
  }
  if (p.timezone !== undefined && p.timezone !== "" && !isTimeZone(p.timezone)) {
    errors.timezone = 'Expected an IANA zone such as "Europe/Berlin"';
  }
  return errors;
}

/**
 * Email addresses (lower-cased) used by more than one persona of the list.
 *
 * @example
 * ```ts
 * duplicateEmails([{ email: "a@x.io" }, { email: "A@x.io" }]); // Set {"a@x.io"}
 * ```
 */
export function duplicateEmails(personas: readonly { email: string }[]): Set<string> {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const p of personas) {
    const key = p.email.trim().toLowerCase();
    if (seen.has(key)) dupes.add(key);
    seen.add(key);
  }
  return dupes;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
