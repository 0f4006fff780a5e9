import { auditRecorder, cliActor, type RecordAudit } from "../core/audit/mod.ts";
import type { Config } from "../core/config/mod.ts";
import type { OpenFleetContext } from "../core/fleet/open_fleet_context.ts";
import { loggerFor } from "./cli_context.ts";
import { openCliBus } from "./open_cli_bus.ts";

/** A one-shot command's fleet context and its audit recorder (none while the database is down). */
export type CliFleetContext = OpenFleetContext & { audit?: RecordAudit };

/**
 * Opens the fleet context for a one-shot command. With DECNET_BUS_URL set,
 * state changes and audit entries are published on that bus (the
 * in-process bus would reach nobody, so none is opened without it).
 */
export async function openCliFleetContext(
  config: Config,
  scope: string,
): Promise<CliFleetContext> {
  const log = loggerFor(config, scope);
  const { openFleetContext } = await import("../core/fleet/open_fleet_context.ts");
  const bus = await openCliBus(config, { name: scope, log });
  const context = await openFleetContext(config, { log, bus });
  const close = async () => {
    await context.close();
    await bus?.close();
  };
  const audit = context.repos
    ? auditRecorder(cliActor(), { audit: context.repos.audit, bus, log: log.child("audit") })
    : undefined;
  return { ...context, audit, close, [Symbol.asyncDispose]: close };
}
