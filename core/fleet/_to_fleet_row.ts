import type { FleetDeckyInput } from "../db/mod.ts";
import type { StateDecky } from "./state_file.ts";

/** The fleet row of a state-file entry on `hostUuid` (its state is written separately). */
export function toFleetRow(hostUuid: string, decky: StateDecky): FleetDeckyInput {
  return {
    hostUuid,
    name: decky.name,
    uuid: decky.uuid,
    ip: decky.ip,
    services: decky.services,
    images: decky.images,
    network: decky.network,
    networkDriver: decky.networkDriver,
    osPersona: decky.osPersona,
  };
}
