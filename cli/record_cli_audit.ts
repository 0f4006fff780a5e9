import type { AuditEvent } from "../core/audit/mod.ts";
import type { Config } from "../core/config/mod.ts";
import { createRepositories, openMigratedDatabase } from "../core/db/mod.ts";
import { errorText, printError } from "../core/log/mod.ts";
import { openCliAudit } from "./open_cli_audit.ts";

/**
 * Records one action of a command that does not otherwise use the database
 * (a persona pool written to a file). The action has already happened, so
 * a database that cannot be opened is a warning, not the command's failure.
 *
 * @param config the command's configuration
 * @param event what was done
 * @example
 * ```ts
 * import type { Config } from "../core/config/mod.ts";
 * import { recordCliAudit } from "./record_cli_audit.ts";
 * declare const config: Config;
 * await recordCliAudit(config, { action: "realism.personas_changed", target: "/etc/decnet/email_personas.json", outcome: "success" });
 * ```
 */
export async function recordCliAudit(config: Config, event: AuditEvent): Promise<void> {
  try {
    await using handle = await openMigratedDatabase(config.dbUrl);
    await using audit = await openCliAudit(config, createRepositories(handle));
    await audit.record(event);
  } catch (e) {
    printError(`Warning: not recorded in the audit log: ${errorText(e)}`);
  }
}
