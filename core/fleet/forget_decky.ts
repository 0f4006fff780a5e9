import type { FleetContext } from "./fleet_context.ts";
import { publishDeckyState } from "./_publish_decky_state.ts";

/**
 * Removes a decky from the single sink: its state-file entry and this
 * host's fleet row (never another host's). A database failure is logged as
 * a warning; the reconciler deletes the row later. Publishes
 * `decky.<host:name>.state` with `to: "torn_down"` when it was recorded.
 *
 * @returns Whether the decky was recorded in either place.
 */
export async function forgetDecky(context: FleetContext, name: string): Promise<boolean> {
  let previous: string | null = null;
  await context.stateFile.update((deckies) => {
    previous = deckies.find((d) => d.name === name)?.state ?? null;
    return deckies.filter((d) => d.name !== name);
  }, context.now());
  let removed = previous !== null;
  try {
    const row = await context.fleet.get(context.hostUuid, name);
    if (row) {
      previous = row.state;
      removed = (await context.fleet.remove(context.hostUuid, name)) || removed;
    }
  } catch (e) {
    context.log.warn("database write failed; the state file is right and reconcile will catch up", {
      decky: name,
      error: e,
    });
  }
  if (removed) publishDeckyState(context, { name, from: previous, to: "torn_down" });
  return removed;
}
