import { auditRecorder, cliActor, type RecordAudit } from "../core/audit/mod.ts";
import type { Config } from "../core/config/mod.ts";
import type { Repositories } from "../core/db/mod.ts";
import { loggerFor } from "./cli_context.ts";
import { openCliBus } from "./open_cli_bus.ts";

/** The audit recorder of one CLI run, closed (its bus with it) when the command ends. */
export interface CliAudit extends AsyncDisposable {
  record: RecordAudit;
}

/**
 * The audit recorder of a one-shot command: actor `cli` with the OS
 * account, entries stored in the database and, with DECNET_BUS_URL set,
 * published on that bus (see openCliBus).
 *
 * @param config the command's configuration
 * @param repos the open repositories
 * @returns the recorder
 * @example
 * ```ts
 * import type { Config } from "../core/config/mod.ts";
 * import type { Repositories } from "../core/db/mod.ts";
 * import { openCliAudit } from "./open_cli_audit.ts";
 * declare const config: Config;
 * declare const repos: Repositories;
 * await using audit = await openCliAudit(config, repos);
 * await audit.record({ action: "user.removed", target: "vera", outcome: "success" });
 * ```
 */
export async function openCliAudit(config: Config, repos: Pick<Repositories, "audit">): Promise<
  CliAudit
> {
  const log = loggerFor(config, "audit");
  const bus = await openCliBus(config, { name: "cli", log });
  return {
    record: auditRecorder(cliActor(), { audit: repos.audit, bus, log }),
    [Symbol.asyncDispose]: async () => await bus?.close(),
  };
}
