import type { Bus } from "../core/bus/mod.ts";
import type { Config } from "../core/config/mod.ts";
import type { OpenFleetContext } from "../core/fleet/open_fleet_context.ts";
import { loggerFor } from "./cli_context.ts";

/**
 * Opens the fleet context for a one-shot command. With DECNET_BUS_URL set,
 * state changes are published on that bus (the in-process bus would reach
 * nobody, so none is opened without it).
 */
export async function openCliFleetContext(
  config: Config,
  scope: string,
): Promise<OpenFleetContext> {
  const log = loggerFor(config, scope);
  const { openBus } = await import("../core/bus/mod.ts");
  const { openFleetContext } = await import("../core/fleet/open_fleet_context.ts");
  let bus: Bus | undefined;
  if (config.busUrl) {
    bus = openBus({ busUrl: config.busUrl, name: scope, logger: log.child("bus") });
  }
  const context = await openFleetContext(config, { log, bus });
  const close = async () => {
    await context.close();
    await bus?.close();
  };
  return { ...context, close, [Symbol.asyncDispose]: close };
}
