import type { Bus } from "../bus/mod.ts";
import type { Config } from "../config/mod.ts";
import {
  createRepositories,
  type DbHandle,
  openMigratedDatabase,
  type Repositories,
} from "../db/mod.ts";
import { openDocker } from "../docker/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { FleetContext, FleetRows } from "./fleet_context.ts";
import { fleetContextFor } from "./fleet_context_for.ts";

/** A {@linkcode FleetContext} that owns its database and Docker connections. */
export interface OpenFleetContext extends FleetContext, AsyncDisposable {
  /** Whether the database could be opened (if not, every row call fails and is logged). */
  databaseAvailable: boolean;
  /** Every repository, when the database could be opened (e.g. for canary seeding). */
  repos: Repositories | null;
  close(): Promise<void>;
}

/**
 * Opens what the fleet commands need from `config`: the database (migrated),
 * Docker, the state file under DECNET_HOME. A database that cannot be
 * opened is logged as a warning and replaced by rows that fail each call,
 * so deploy and teardown still keep the state file right.
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import type { Logger } from "../log/logger.ts";
 * import { openFleetContext } from "./open_fleet_context.ts";
 * import { reconcileFleet } from "./reconcile_fleet.ts";
 * declare const config: Config;
 * declare const log: Logger;
 * await using context = await openFleetContext(config, { log });
 * await reconcileFleet(context);
 * ```
 */
export async function openFleetContext(
  config: Pick<Config, "dbUrl" | "dockerHost" | "hostUuid" | "home">,
  options: { log: Logger; bus?: Bus },
): Promise<OpenFleetContext> {
  let handle: DbHandle | undefined;
  let fleet: FleetRows;
  let repos: Repositories | null = null;
  try {
    handle = await openMigratedDatabase(config.dbUrl);
    repos = createRepositories(handle);
    fleet = repos.fleet;
  } catch (e) {
    options.log.warn("database unavailable; only the state file is written", { error: e });
    fleet = unavailableRows(e);
  }
  const docker = openDocker({ dockerHost: config.dockerHost });
  const close = async () => {
    await docker.close();
    await handle?.close();
  };
  return {
    ...fleetContextFor(config, { docker, fleet, bus: options.bus, log: options.log }),
    databaseAvailable: handle !== undefined,
    repos,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function unavailableRows(cause: unknown): FleetRows {
  const fail = () =>
    Promise.reject(new Error("Cannot reach the database: it could not be opened", { cause }));
  return { get: fail, upsert: fail, list: fail, remove: fail };
}
