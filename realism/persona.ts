/** How a persona writes. */
export const TONES = ["formal", "direct", "casual", "technical", "custom"] as const;
/** One of {@linkcode TONES}. */
export type Tone = typeof TONES[number];

/**
 * Someone who "lives" on a decky: writes its notes, edits its files, sends
 * its mail. Field names are snake_case because personas are stored as JSON
 * and travel on the wire as they are.
 */
export interface Persona {
  readonly name: string;
  readonly email: string;
  readonly role: string;
  readonly tone: Tone;
  readonly mannerisms: readonly string[];
  /** ISO 639-1 code, lower case ("en", "de"). */
  readonly language: string;
  readonly signature?: string;
  /** "HH:MM-HH:MM", read in {@linkcode Persona.timezone}. */
  readonly active_hours: string;
  /** How long replies take: "MIN-MAX" durations such as "10m-4h". */
  readonly reply_latency: string;
  /** Opts in to LLM tells (em-dashes) that are stripped for everyone else. */
  readonly uses_llms_heavily: boolean;
  /** IANA zone; unset: the decky's zone, else UTC. */
  readonly timezone?: string;
}
