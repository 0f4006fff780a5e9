import type { Alert } from "../alert.ts";
import { printable } from "./_printable.ts";
import { alertLines } from "./alert_lines.ts";

/**
 * The alert as plain text for a person (a mail body): title, summary, then
 * the labelled lines of {@linkcode alertLines} (what, when, the token and
 * where it was planted, the source and its attacker record, user agent / DNS
 * name / user name, the dashboard link). Mask secrets first
 * (`maskAlertSecrets`). Control characters are escaped.
 *
 * @example
 * ```ts
 * import { alertText } from "./alert_text.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * const body = alertText(alert); // "Canary token triggered...\n\nWhat:       ..."
 * ```
 */
export function alertText(alert: Alert): string {
  const body = alertLines(alert).map(({ label, value }) =>
    `${`${label}:`.padEnd(12)}${printable(value)}`
  );
  return `${printable(alert.title)}\n\n${printable(alert.summary)}\n\n${body.join("\n")}\n`;
}
