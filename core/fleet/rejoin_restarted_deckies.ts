import type { FleetContext } from "./fleet_context.ts";
import { fleetLabelKeys } from "./fleet_labels.ts";

/**
 * Restarts the containers joined to a decky's base (its services and its
 * sensor) that started before the base did. A joined container keeps the
 * network namespace it was started in; when Docker restarts only the base
 * (a crash under its restart policy, an operator's `docker restart`), that
 * old namespace has lost its interface and the decky's services go dark
 * until they are started again, into the base's new namespace.
 *
 * @param context the fleet whose containers it checks (this host's, by label)
 * @returns how many containers it restarted
 * @example
 * ```ts
 * import type { FleetContext } from "./fleet_context.ts";
 * import { rejoinRestartedDeckies } from "./rejoin_restarted_deckies.ts";
 * declare const context: FleetContext;
 * await rejoinRestartedDeckies(context); // 0 when every base is older than its services
 * ```
 */
export async function rejoinRestartedDeckies(context: FleetContext): Promise<number> {
  const keys = context.labels ?? fleetLabelKeys();
  const containers = await context.docker.listContainers({
    labels: { [keys.managed]: "true", [keys.host]: context.hostUuid, [keys.decky]: true },
    all: false,
  });
  const joined = new Map<string, string[]>();
  for (const c of containers) {
    if (c.labels[keys.role] === "base") continue;
    const decky = c.labels[keys.decky];
    joined.set(decky, [...joined.get(decky) ?? [], c.id]);
  }
  let count = 0;
  for (const [decky, ids] of joined) {
    try {
      // The base container is named after the decky (see deployFleet).
      const base = await context.docker.inspectContainer(decky);
      if (!base?.running) continue;
      for (const id of ids) {
        const member = await context.docker.inspectContainer(id);
        if (!member?.running || Date.parse(member.startedAt) >= Date.parse(base.startedAt)) {
          continue;
        }
        await context.docker.stopContainer(id);
        await context.docker.startContainer(id);
        count++;
        context.log.info("container rejoined its restarted base", {
          decky,
          container: member.name,
          base_started_at: base.startedAt,
        });
      }
    } catch (e) {
      context.log.warn("containers of a restarted base not rejoined", { decky, error: e });
    }
  }
  return count;
}
