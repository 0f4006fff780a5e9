import type { Bus } from "../bus/mod.ts";
import type { FleetRepository } from "../db/mod.ts";
import type { DockerClient } from "../docker/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { FleetLabelKeys } from "./fleet_labels.ts";
import type { StateFile } from "./state_file.ts";

/** The fleet-row calls the fleet code makes (a FleetRepository, or a stand-in while the database is down). */
export type FleetRows = Pick<FleetRepository, "get" | "upsert" | "list" | "remove">;

/** What deploy, teardown and the reconciler work with (the CLI, API and worker build one). */
export interface FleetContext {
  /** This host's id in fleet rows (Config.hostUuid, "local" standalone). */
  hostUuid: string;
  docker: DockerClient;
  fleet: FleetRows;
  stateFile: StateFile;
  /** Where `decky.<host:name>.state` goes; none in one-shot commands without a bus. */
  bus?: Bus;
  log: Logger;
  now: () => Date;
  /** @default fleetLabelKeys() */
  labels?: FleetLabelKeys;
}
