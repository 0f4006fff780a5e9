import { errorText } from "../log/mod.ts";
import type { FleetDecky } from "../db/mod.ts";
import { type ContainerSummary, DockerError } from "../docker/mod.ts";
import { diffFleet, type FleetChange } from "./diff_fleet.ts";
import type { FleetContext } from "./fleet_context.ts";
import { fleetLabelKeys } from "./fleet_labels.ts";
import { publishDeckyState } from "./_publish_decky_state.ts";
import { toFleetRow } from "./_to_fleet_row.ts";
import type { StateDecky } from "./state_file.ts";

/** Counts of one reconcile pass. */
export interface ReconcileReport {
  inserted: number;
  deleted: number;
  changed: number;
  unchanged: number;
  /** Writes that failed (each logged). */
  failed: number;
  /** False when Docker could not be asked: nothing was changed. */
  dockerReachable: boolean;
  /** Why the pass changed nothing, when it could not run. */
  error?: string;
}

/**
 * One reconcile pass: reads the state file, this host's fleet rows and our
 * containers (one labelled listing), diffs them with
 * {@linkcode diffFleet}, applies the writes to the database, corrects the
 * states recorded in the state file, and publishes `decky.<host:name>.state`
 * for every insert, delete and transition (nothing on a quiet pass).
 * Docker unreachable or the database down: nothing changes, the report says why.
 * Never throws: a pass that fails half-way reports its error like the others.
 *
 * @example
 * ```ts
 * import type { Logger } from "../log/logger.ts";
 * import type { FleetContext } from "./fleet_context.ts";
 * import { reconcileFleet } from "./reconcile_fleet.ts";
 * declare const context: FleetContext;
 * declare const log: Logger;
 * const report = await reconcileFleet(context);
 * log.info("reconciled", { ...report });
 * ```
 */
export async function reconcileFleet(context: FleetContext): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    inserted: 0,
    deleted: 0,
    changed: 0,
    unchanged: 0,
    failed: 0,
    dockerReachable: true,
  };
  try {
    return await reconcileInto(report, context);
  } catch (e) {
    context.log.error("reconcile pass failed", { error: e });
    return { ...report, error: errorText(e) };
  }
}

async function reconcileInto(
  report: ReconcileReport,
  context: FleetContext,
): Promise<ReconcileReport> {
  const labels = context.labels ?? fleetLabelKeys();
  let stateDeckies: StateDecky[];
  try {
    stateDeckies = await context.stateFile.read();
  } catch (e) {
    context.log.error("cannot read the state file; nothing changed", { error: e });
    return { ...report, error: errorText(e) };
  }
  let containers: ContainerSummary[];
  try {
    containers = await context.docker.listContainers({
      labels: { [labels.managed]: "true", [labels.host]: context.hostUuid },
      all: true,
    });
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    // Reported by the caller (the reconciler says it once per outage: a master may have no Docker).
    context.log.debug("Docker unreachable; nothing changed", { error: e });
    return { ...report, dockerReachable: false, error: errorText(e) };
  }
  let dbDeckies: FleetDecky[];
  try {
    dbDeckies = await context.fleet.list({ hostUuid: context.hostUuid });
  } catch (e) {
    context.log.warn("database unavailable; nothing changed", { error: e });
    return { ...report, error: errorText(e) };
  }
  const diff = diffFleet({ stateDeckies, dbDeckies, containers, labels });
  report.unchanged = diff.unchanged;
  for (const change of diff.changes) {
    try {
      await applyChange(context, change);
      if (change.kind === "insert") report.inserted++;
      else if (change.kind === "delete") report.deleted++;
      else report.changed++;
    } catch (e) {
      report.failed++;
      context.log.warn("reconcile write failed", { kind: change.kind, error: e });
    }
  }
  if (diff.stateFileStates.length) {
    const now = context.now();
    const states = new Map(diff.stateFileStates.map((s) => [s.name, s.state]));
    try {
      await context.stateFile.update(
        (deckies) =>
          deckies.map((d) => {
            const state = states.get(d.name);
            return state && state !== d.state ? { ...d, state, stateSince: now.toISOString() } : d;
          }),
        now,
      );
    } catch (e) {
      context.log.error("cannot update the state file", { error: e });
    }
  }
  return report;
}

async function applyChange(context: FleetContext, change: FleetChange): Promise<void> {
  if (change.kind === "delete") {
    await context.fleet.remove(context.hostUuid, change.name);
    context.log.info("row deleted (not in the state file)", { decky: change.name });
    publishDeckyState(context, { name: change.name, from: change.previous, to: "torn_down" });
    return;
  }
  const d = change.decky;
  await context.fleet.upsert(toFleetRow(context.hostUuid, d), change.current);
  if (change.kind === "insert") {
    context.log.info("row inserted (from the state file)", {
      decky: d.name,
      state: change.current,
    });
    publishDeckyState(context, { name: d.name, from: null, to: change.current });
  } else if (change.kind === "transition") {
    context.log.info("state changed", { decky: d.name, from: change.previous, to: change.current });
    publishDeckyState(context, { name: d.name, from: change.previous, to: change.current });
  } else {
    context.log.info("row updated from the state file", { decky: d.name });
  }
}
