import type { Bus } from "../bus/mod.ts";
import type { Config } from "../config/mod.ts";
import type { DockerClient } from "../docker/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { FleetContext, FleetRows } from "./fleet_context.ts";
import { StateFile } from "./state_file.ts";

/**
 * The one way a {@linkcode FleetContext} is put together (CLI, API and the
 * reconciler): this host's id, its state file under DECNET_HOME, and the
 * connections the caller holds.
 *
 * @param config `hostUuid` and `home` of the configuration
 * @param deps Docker, fleet rows, bus (optional), log and clock (default: the system clock)
 * @returns the context
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Config } from "../config/config.ts";
 * import type { DockerClient } from "../docker/base.ts";
 * import type { Logger } from "../log/logger.ts";
 * import type { Repositories } from "../db/repositories.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const docker: DockerClient;
 * declare const log: Logger;
 * declare const repos: Repositories;
 * const context = fleetContextFor(config, { docker, fleet: repos.fleet, bus, log });
 * ```
 */
export function fleetContextFor(
  config: Pick<Config, "hostUuid" | "home">,
  deps: { docker: DockerClient; fleet: FleetRows; bus?: Bus; log: Logger; now?: () => Date },
): FleetContext {
  return {
    hostUuid: config.hostUuid,
    docker: deps.docker,
    fleet: deps.fleet,
    stateFile: new StateFile(config.home, config.hostUuid),
    bus: deps.bus,
    log: deps.log,
    now: deps.now ?? (() => new Date()),
  };
}
