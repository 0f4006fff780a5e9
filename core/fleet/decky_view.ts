import type { DeckySource, ListedDecky } from "../db/mod.ts";

/**
 * A decky on the wire (API responses, CLI `--json`, the dashboard's fleet
 * island): snake_case, times ISO 8601. Shard rows record no images nor
 * network (`{}` and null).
 */
export interface DeckyView {
  name: string;
  uuid: string;
  host_uuid: string;
  source: DeckySource;
  ip: string | null;
  services: string[];
  images: Record<string, string>;
  network: string | null;
  network_driver: string | null;
  os_persona: string | null;
  state: string;
  state_since: string;
}

/** What {@linkcode deckyView} reads: a listed decky, a fleet row or a state-file entry with its host. */
export type DeckyViewInput = Omit<ListedDecky, "source"> & { source?: DeckySource };

/**
 * The wire shape of a decky of any source (fleet when `source` is absent).
 *
 * @example
 * ```ts
 * import type { Repositories } from "../db/repositories.ts";
 * declare const repos: Repositories;
 * const items = (await repos.fleet.listDeckies()).map(deckyView);
 * ```
 */
export function deckyView(decky: DeckyViewInput): DeckyView {
  return {
    name: decky.name,
    uuid: decky.uuid,
    host_uuid: decky.hostUuid,
    source: decky.source ?? "fleet",
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
