import type { Bus } from "../core/bus/mod.ts";
import type { Config } from "../core/config/mod.ts";
import type { Logger } from "../core/log/mod.ts";

/** How long a command waits for DECNET_BUS_URL's server before going on without it. */
const BUS_READY_TIMEOUT_MS = 5000;

/**
 * The bus of a one-shot command: DECNET_BUS_URL's, connected (a publish
 * before the first connection is refused, and a command's few messages
 * would be lost), or none without it (the in-process bus would reach nobody).
 *
 * @param config `busUrl` of the configuration
 * @param options the client name and logger
 * @returns the bus, or undefined
 * @example
 * ```ts
 * import type { Config } from "../core/config/mod.ts";
 * import type { Logger } from "../core/log/mod.ts";
 * import { openCliBus } from "./open_cli_bus.ts";
 * declare const config: Config;
 * declare const log: Logger;
 * const bus = await openCliBus(config, { name: "deploy", log });
 * ```
 */
export async function openCliBus(
  config: Pick<Config, "busUrl">,
  options: { name: string; log: Logger },
): Promise<Bus | undefined> {
  if (!config.busUrl) return undefined;
  const { NatsBus, openBus } = await import("../core/bus/mod.ts");
  const bus = openBus({
    busUrl: config.busUrl,
    name: options.name,
    logger: options.log.child("bus"),
  });
  if (bus instanceof NatsBus) {
    await bus.ready(AbortSignal.timeout(BUS_READY_TIMEOUT_MS)).catch(() =>
      options.log.warn("bus not connected; going on without it")
    );
  }
  return bus;
}
