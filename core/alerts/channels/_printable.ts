// deno-lint-ignore no-control-regex -- control characters are what is escaped
const CONTROL_REGEXP = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * `value` with C0 controls, DEL and C1 controls written as `\xNN`, so an
 * attacker-chosen user agent or user name cannot break a line, a header or
 * a terminal when an alert is read.
 */
export function printable(value: string): string {
  return value.replace(
    CONTROL_REGEXP,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
