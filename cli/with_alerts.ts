import type { Command } from "commander";
import { ALERTS_CHANGED_TOPIC } from "../core/alerts/alerts_changed_topic.ts";
import { NatsBus, openBus } from "../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../core/db/mod.ts";
import type { AlertsRepository } from "../core/db/mod.ts";
import type { RecordAudit } from "../core/audit/mod.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { openCliAudit } from "./open_cli_audit.ts";

/** What an `alerts` subcommand works with. */
export interface AlertsCliContext {
  alerts: AlertsRepository;
  /**
   * Tells a running alerts worker that channels or rules changed (over NATS;
   * with the in-process bus of another `decnet up` it sees them within 30 s).
   */
  announce(): Promise<void>;
  /** Records the operator's change in the audit log (actor `cli`). */
  audit: RecordAudit;
}

/**
 * Opens the database for one `decnet alerts` subcommand and closes it after.
 *
 * @example
 * ```ts
 * import type { Command } from "commander";
 * import { withAlerts } from "./with_alerts.ts";
 * declare const command: Command;
 * const total = await withAlerts(command, async ({ alerts }) => (await alerts.listRules()).length);
 * ```
 */
export async function withAlerts<T>(
  command: Command,
  fn: (context: AlertsCliContext) => Promise<T>,
): Promise<T> {
  const config = configFor(command);
  await using handle = await openMigratedDatabase(config.dbUrl);
  const announce = async () => {
    if (!config.busUrl) return;
    await using bus = openBus({
      busUrl: config.busUrl,
      name: "cli",
      logger: loggerFor(config, "alerts").child("bus"),
    });
    if (bus instanceof NatsBus) await bus.ready(AbortSignal.timeout(5000)).catch(() => {});
    bus.publish(ALERTS_CHANGED_TOPIC, { at: new Date().toISOString() });
  };
  const repos = createRepositories(handle);
  await using audit = await openCliAudit(config, repos);
  return await fn({ alerts: repos.alerts, announce, audit: audit.record });
}
