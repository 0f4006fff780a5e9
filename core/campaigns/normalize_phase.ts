/**
 * A kill-chain phase name in the rules' snake_case spelling, so
 * "Command and Control", "command-and-control" and "command_and_control"
 * are one phase.
 *
 * @example
 * ```ts
 * normalizePhase("Lateral Movement"); // "lateral_movement"
 * ```
 */
export function normalizePhase(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
}
