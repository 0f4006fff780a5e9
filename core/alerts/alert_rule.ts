import { z } from "zod";
import type { AlertRuleInput } from "../db/mod.ts";
import { ALERT_KINDS, ALERT_SEVERITIES } from "./alert.ts";
import type { AlertEventKind } from "./alert_event.ts";
import { DEDUPE_FIELDS } from "./alert_event.ts";

/** Event kinds a rule can select. */
export const RULE_EVENT_KINDS = ALERT_KINDS.filter((k): k is AlertEventKind =>
  k !== "test" && k !== "event" && k !== "audit"
);

/** Longest throttle or digest window: a day. */
export const MAX_ALERT_WINDOW_SECONDS = 86_400;

const NAME_REGEXP = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const filter = z.string().min(1).max(64).nullable().default(null);

/**
 * The request-body schema of an alert rule (defaults filled in: one alert
 * per token and source per 10 minutes, no digest), for the API's zod
 * routes; {@linkcode parseAlertRuleInput} wraps it for the CLI.
 */
export const ALERT_RULE_SCHEMA = z.strictObject({
  name: z.string().regex(NAME_REGEXP, "expected 1-64 letters, digits, '_', '.' or '-'"),
  events: z.array(z.enum(RULE_EVENT_KINDS)).min(1).max(RULE_EVENT_KINDS.length)
    .transform((e) => [...new Set(e)]),
  filter_token: filter,
  filter_decky: filter,
  filter_kind: filter,
  severity: z.enum(ALERT_SEVERITIES).default("high"),
  throttle_seconds: z.int().min(0).max(MAX_ALERT_WINDOW_SECONDS).default(600),
  dedupe_by: z.array(z.enum(DEDUPE_FIELDS)).max(DEDUPE_FIELDS.length)
    .default(["token", "source"]).transform((d) => [...new Set(d)]),
  digest_seconds: z.int().min(0).max(MAX_ALERT_WINDOW_SECONDS).default(0),
  channel_ids: z.array(z.int().min(1)).min(1).max(100).transform((c) => [...new Set(c)]),
  enabled: z.boolean().default(true),
});

/**
 * Checks an alert rule from the CLI or a file and fills in defaults.
 *
 * @throws {TypeError} naming each bad field and the value given
 * @example
 * ```ts
 * import { parseAlertRuleInput } from "./alert_rule.ts";
 * const rule = parseAlertRuleInput({ name: "canaries", events: ["canary_triggered"], channel_ids: [1] });
 * rule.throttle_seconds; // 600
 * ```
 */
export function parseAlertRuleInput(input: unknown): AlertRuleInput {
  const parsed = ALERT_RULE_SCHEMA.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join(".") || "rule";
    const got = "input" in issue && issue.input !== undefined
      ? `, got ${JSON.stringify(issue.input)?.slice(0, 120)}`
      : "";
    return `${field}: ${issue.message}${got}`;
  });
  throw new TypeError(`Invalid alert rule: ${problems.join("; ")}`);
}
