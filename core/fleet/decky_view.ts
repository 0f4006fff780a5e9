import type { FleetDecky } from "../db/mod.ts";
import type { StateDecky } from "./state_file.ts";

/** A decky on the wire (API responses and CLI `--json`): snake_case, times ISO 8601. */
export interface DeckyView {
  name: string;
  uuid: string;
  host_uuid: string;
  source: string;
  ip: string | null;
  services: string[];
  images: Record<string, string>;
  network: string | null;
  network_driver: string | null;
  os_persona: string | null;
  state: string;
  state_since: string | null;
}

/**
 * The wire shape of a fleet row or a state-file entry.
 *
 * @example
 * ```ts
 * const items = (await repos.fleet.list()).map((d) => deckyView(d));
 * ```
 */
export function deckyView(decky: FleetDecky | StateDecky, hostUuid?: string): DeckyView {
  return {
    name: decky.name,
    uuid: decky.uuid,
    host_uuid: "hostUuid" in decky ? decky.hostUuid : hostUuid ?? "local",
    source: "fleet",
    ip: decky.ip,
    services: decky.services,
    images: decky.images,
    network: decky.network,
    network_driver: decky.networkDriver,
    os_persona: decky.osPersona,
    state: decky.state,
    state_since: decky.stateSince,
  };
}
