import { auditRecorder, cliActor, type RecordAudit } from "../core/audit/mod.ts";
import type { Bus } from "../core/bus/mod.ts";
import type { Config } from "../core/config/mod.ts";
import type { Repositories } from "../core/db/mod.ts";
import { loggerFor } from "./cli_context.ts";

/** How long a command waits for DECNET_BUS_URL's server before recording without it. */
const BUS_READY_TIMEOUT_MS = 5000;

/** The audit recorder of one CLI run, closed (its bus with it) when the command ends. */
export interface CliAudit extends AsyncDisposable {
  record: RecordAudit;
}

/**
 * The audit recorder of a one-shot command: actor `cli` with the OS
 * account, entries stored in the database and, with DECNET_BUS_URL set,
 * published on that bus (the in-process bus would reach nobody, so none is
 * opened without it).
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
  let bus: Bus | undefined;
  if (config.busUrl) {
    const { NatsBus, openBus } = await import("../core/bus/mod.ts");
    bus = openBus({ busUrl: config.busUrl, name: "cli", logger: log.child("bus") });
    // A publish before the first connection is refused: the entry would reach the database only.
    if (bus instanceof NatsBus) {
      await bus.ready(AbortSignal.timeout(BUS_READY_TIMEOUT_MS)).catch(() =>
        log.warn("bus not connected; audit entries go to the database only")
      );
    }
  }
  return {
    record: auditRecorder(cliActor(), { audit: repos.audit, bus, log }),
    [Symbol.asyncDispose]: async () => await bus?.close(),
  };
}
