import type { DeckyState } from "../db/mod.ts";
import type { FleetContext } from "./fleet_context.ts";
import { publishDeckyState } from "./_publish_decky_state.ts";
import { toFleetRow } from "./_to_fleet_row.ts";
import type { StateDecky } from "./state_file.ts";

/** A decky's record without the state bookkeeping. */
export type DeckyRecord = Omit<StateDecky, "state" | "stateSince">;

/**
 * Records a decky in the single sink: the state file (replaced atomically)
 * and the fleet row of this host. The state file is written first; a
 * database failure is logged as a warning and the reconciler catches up.
 * Publishes `decky.<host:name>.state` when the state changes.
 *
 * @param context Fleet dependencies.
 * @param decky What to record, and its new state.
 * @returns The recorded entry.
 * @throws when the state file cannot be written
 */
export async function recordDecky(
  context: FleetContext,
  decky: DeckyRecord & { state: DeckyState },
): Promise<StateDecky> {
  const now = context.now();
  let before: StateDecky | undefined;
  let entry: StateDecky | undefined;
  await context.stateFile.update((deckies) => {
    before = deckies.find((d) => d.name === decky.name);
    entry = {
      ...decky,
      uuid: before?.uuid ?? decky.uuid,
      stateSince: before && before.state === decky.state ? before.stateSince : now.toISOString(),
    };
    return [...deckies.filter((d) => d.name !== decky.name), entry];
  }, now);
  let previous: string | null = before?.state ?? null;
  try {
    const row = await context.fleet.get(context.hostUuid, decky.name);
    if (row) previous = row.state;
    await context.fleet.upsert(toFleetRow(context.hostUuid, entry!), decky.state);
  } catch (e) {
    context.log.warn("database write failed; the state file is right and reconcile will catch up", {
      decky: decky.name,
      error: e,
    });
  }
  if (previous !== decky.state) {
    publishDeckyState(context, { name: decky.name, from: previous, to: decky.state });
  }
  return entry!;
}
