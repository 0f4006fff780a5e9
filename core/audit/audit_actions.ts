/**
 * Every operator action the audit log records, `<thing>.<what happened>`.
 * The bus topic of an entry is `audit.<action>` (so `audit.user.*` follows
 * accounts, `audit.>` everything).
 */
export const AUDIT_ACTIONS = [
  "api_key.created",
  "api_key.revoked",
  "canary_token.created",
  "canary_token.revoked",
  "fleet.deployed",
  "decky.torn_down",
  "decky.reverted",
  "user.added",
  "user.removed",
  "user.password_changed",
  "realism.config_changed",
  "realism.personas_changed",
  "worker.start_requested",
  "worker.stop_requested",
  "alert_channel.created",
  "alert_channel.changed",
  "alert_channel.deleted",
  "alert_rule.created",
  "alert_rule.changed",
  "alert_rule.deleted",
  "swarm_host.enrolled",
  "swarm_host.revoked",
] as const;

/** One of {@linkcode AUDIT_ACTIONS}. */
export type AuditAction = typeof AUDIT_ACTIONS[number];

/**
 * Whether `value` names a known action.
 *
 * @example
 * ```ts
 * isAuditAction("user.added"); // true
 * ```
 */
export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
