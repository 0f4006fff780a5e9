import { patternProblem, patternsOverlap, topicMatches } from "../../core/bus/mod.ts";
import { HttpError } from "../http_error.ts";
import type { StreamSource } from "./stream_cursor.ts";

/**
 * Every topic a dashboard stream may carry, with the table whose rows back
 * it (replayed on reconnection) or null for live-only events. Nothing else
 * on the bus (control messages, anything added later) reaches a stream.
 */
export const STREAM_TOPICS: readonly { pattern: string; source: StreamSource | null }[] = [
  { pattern: "canary.*.triggered", source: "trigger" },
  { pattern: "canary.*.placed", source: null },
  { pattern: "canary.*.revoked", source: null },
  { pattern: "orchestrator.traffic.*", source: "event" },
  { pattern: "orchestrator.file.*", source: "event" },
  { pattern: "orchestrator.email.*", source: "email" },
  { pattern: "decky.*.state", source: null },
  { pattern: "system.*.health", source: null },
  { pattern: "service.*.*.event", source: "service" },
  { pattern: "attacker.*.observed", source: null },
  { pattern: "attacker.*.credential", source: null },
  { pattern: "identity.*.formed", source: null },
  { pattern: "identity.*.campaign_assigned", source: null },
  { pattern: "campaign.*.formed", source: null },
  { pattern: "campaign.*.merged", source: null },
  { pattern: "campaign.*.unmerged", source: null },
];

/** Most `topic` parameters one stream takes. */
export const MAX_STREAM_TOPICS = 16;

/** The `topic` filter of one stream, checked by {@linkcode parseStreamTopics}. */
export interface StreamTopics {
  /** The client's patterns. */
  patterns: readonly string[];
  /** Bus subscriptions covering them, disjoint so that a message arrives once. */
  subscriptions: readonly string[];
  /** Tables with rows the stream reports, in {@linkcode STREAM_SOURCES} order. */
  sources: ReadonlySet<StreamSource>;
  /** Whether a topic goes to this stream (streamable and asked for). */
  matches(topic: string): boolean;
}

/**
 * The row source of a streamable topic (`canary.<token>.triggered` ->
 * `trigger`), or null when it is live only or not streamable.
 *
 * @example
 * ```ts
 * import { sourceOfTopic } from "./stream_topics.ts";
 * sourceOfTopic("orchestrator.email.mail-01"); // "email"
 * ```
 */
export function sourceOfTopic(topic: string): StreamSource | null {
  return STREAM_TOPICS.find((t) => topicMatches(t.pattern, topic))?.source ?? null;
}

/**
 * Checks the `topic` query parameters (bus patterns such as
 * `canary.*.triggered`, `orchestrator.>`, `decky.>`); none means every
 * streamable topic.
 *
 * @throws {HttpError} 400 naming `query.topic` for a malformed pattern, one
 *   that no streamable topic matches, or too many
 * @example
 * ```ts
 * import { parseStreamTopics } from "./stream_topics.ts";
 * const topics = parseStreamTopics(["canary.*.triggered", "decky.>"]);
 * topics.matches("decky.local:web-01.state"); // true
 * topics.subscriptions; // ["canary.>", "decky.>"]
 * ```
 */
export function parseStreamTopics(raw: readonly string[]): StreamTopics {
  if (raw.length > MAX_STREAM_TOPICS) {
    throw badTopic(`expected at most ${MAX_STREAM_TOPICS} patterns, got ${raw.length}`);
  }
  const patterns = raw.length === 0 ? [">"] : [...new Set(raw)];
  for (const pattern of patterns) {
    const problem = patternProblem(pattern);
    if (problem) throw badTopic(`${problem}, got "${pattern}"`);
    if (!STREAM_TOPICS.some((t) => patternsOverlap(pattern, t.pattern))) {
      throw badTopic(
        `expected a pattern matching one of ${
          STREAM_TOPICS.map((t) => t.pattern).join(", ")
        }, got "${pattern}"`,
      );
    }
  }
  const firsts = new Set(patterns.map((p) => p.split(".")[0]));
  const subscriptions = firsts.has("*") || firsts.has(">")
    ? [">"]
    : [...firsts].map((f) => `${f}.>`);
  const sources = new Set<StreamSource>();
  for (const t of STREAM_TOPICS) {
    if (t.source && patterns.some((p) => patternsOverlap(p, t.pattern))) sources.add(t.source);
  }
  return {
    patterns,
    subscriptions,
    sources,
    matches: (topic) =>
      STREAM_TOPICS.some((t) => topicMatches(t.pattern, topic)) &&
      patterns.some((p) => topicMatches(p, topic)),
  };
}

function badTopic(message: string): HttpError {
  return new HttpError(400, "invalid_request", `Invalid query.topic: ${message}`, {
    field: "query.topic",
  });
}
