/**
 * The fleet: deckies deployed from a fleet file (INI), recorded in one sink
 * (the state file `DECNET_HOME/decnet-state.json`, replaced atomically, and
 * this host's `fleet_deckies` rows), and kept converged with Docker by the
 * reconciler, whose diff is a pure function.
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import type { Logger } from "../log/logger.ts";
 * import { deployFleet, openFleetContext, parseFleetSpec } from "./mod.ts";
 * declare const config: Config;
 * declare const log: Logger;
 * await using context = await openFleetContext(config, { log });
 * const spec = parseFleetSpec(await Deno.readTextFile("fleet.yaml"));
 * const result = await deployFleet(spec, context);
 * ```
 *
 * @module
 */
export { parseIni } from "./parse_ini.ts";
export { validateDeckyName } from "./validate_decky_name.ts";
export { validateInterfaceName } from "./validate_interface_name.ts";
export type { IniEntry, IniSection } from "./parse_ini.ts";
export {
  DEFAULT_BASE_COMMAND,
  DEFAULT_BASE_IMAGE,
  DEFAULT_NETWORK_NAME,
  INIT_MODES,
  MAX_NAMESERVERS,
  NETWORK_DRIVERS,
  OS_PERSONAS,
  parseFleetSpec,
  SENSOR_IMAGE,
} from "./fleet_spec.ts";
export { agentCommandHandlers } from "./agent_command_handlers.ts";
export { agentFleetRows } from "./agent_fleet_rows.ts";
export { fleetSpecForHost } from "./fleet_spec_for_host.ts";
export { swarmHostsOf } from "./swarm_hosts_of.ts";
export { deckyMailVolume, sensorContainerSpec } from "./sensor_container_spec.ts";
export type { SensorContainerSpec } from "./sensor_container_spec.ts";
export { ensureSensorImage } from "./ensure_sensor_image.ts";
export { killSession } from "./kill_session.ts";
export type { KillSessionResult } from "./kill_session.ts";
export { revertDecky } from "./revert_decky.ts";
export type { RevertDeckyResult } from "./revert_decky.ts";
export type {
  DeckySpec,
  EgressMode,
  FleetSpec,
  InitMode,
  NetworkDriver,
  NetworkSpec,
  OsPersona,
  ParseFleetSpecOptions,
  ServiceSpec,
} from "./fleet_spec.ts";
export { DEFAULT_LABEL_PREFIX, fleetLabelKeys } from "./fleet_labels.ts";
export type { FleetLabelKeys } from "./fleet_labels.ts";
export { StateFile } from "./state_file.ts";
export { STATE_FILE_NAME, STATE_TMP_DIR_NAME, stateFilePaths } from "./state_file_paths.ts";
export type { StateDecky } from "./state_file.ts";
export type { FleetContext, FleetRows } from "./fleet_context.ts";
export { openFleetContext } from "./open_fleet_context.ts";
export { fleetContextFor } from "./fleet_context_for.ts";
export type { OpenFleetContext } from "./open_fleet_context.ts";
export { recordDecky } from "./record_decky.ts";
export type { DeckyRecord } from "./record_decky.ts";
export { forgetDecky } from "./forget_decky.ts";
export { deployFleet } from "./deploy_fleet.ts";
export { debianHostsFile } from "./debian_hosts_file.ts";
export { debianResolvConf } from "./debian_resolv_conf.ts";
export { hideContainerTells } from "./hide_container_tells.ts";
export type { HideContainerTellsOptions } from "./hide_container_tells.ts";
export type { DeckyDeployResult, DeployFleetOptions, DeployFleetResult } from "./deploy_fleet.ts";
export { deployAndSeed } from "./deploy_and_seed.ts";
export type { DeployAndSeedOptions } from "./deploy_and_seed.ts";
export { teardownFleet } from "./teardown_fleet.ts";
export type {
  DeckyTeardownResult,
  TeardownFleetOptions,
  TeardownFleetResult,
} from "./teardown_fleet.ts";
export { deckyStateFromContainers } from "./decky_state_from_containers.ts";
export { diffFleet } from "./diff_fleet.ts";
export type { FleetChange, FleetDiff, FleetDiffInput } from "./diff_fleet.ts";
export { reconcileFleet } from "./reconcile_fleet.ts";
export type { ReconcileReport } from "./reconcile_fleet.ts";
export { deckyView } from "./decky_view.ts";
export type { DeckyView, DeckyViewInput } from "./decky_view.ts";
