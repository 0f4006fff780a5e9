import type { DeckyState, FleetDecky } from "../db/mod.ts";
import type { ContainerSummary } from "../docker/mod.ts";
import { deckyStateFromContainers } from "./decky_state_from_containers.ts";
import type { FleetLabelKeys } from "./fleet_labels.ts";
import type { StateDecky } from "./state_file.ts";
import { SENSOR_IMAGE_REPO } from "../sensor/sensor_image.ts";

/** What one reconcile pass compares. */
export interface FleetDiffInput {
  /** Deckies the state file records. */
  stateDeckies: readonly StateDecky[];
  /** Fleet rows of THIS host only. */
  dbDeckies: readonly FleetDecky[];
  /** Our containers on this host (one labelled listing). */
  containers: readonly ContainerSummary[];
  labels: FleetLabelKeys;
}

/** One write the reconciler makes. */
export type FleetChange =
  | { kind: "insert"; decky: StateDecky; current: DeckyState }
  | { kind: "delete"; name: string; previous: DeckyState }
  | { kind: "transition"; decky: StateDecky; previous: DeckyState; current: DeckyState }
  | { kind: "update"; decky: StateDecky; current: DeckyState };

/** The writes that make the database (and the state file's states) match Docker. */
export interface FleetDiff {
  changes: FleetChange[];
  /** Deckies that need nothing. */
  unchanged: number;
  /** State-file entries whose recorded state differs from Docker's, with the new state. */
  stateFileStates: { name: string; state: DeckyState }[];
}

/**
 * Compares the state file, this host's database rows and Docker's
 * containers. State file has X, database not: insert. Database has X, state
 * file not: delete. Both: the state Docker shows (see
 * {@linkcode deckyStateFromContainers}); a different state is a transition,
 * different fields (ip, services, images, network, persona) an update.
 * Pure: no I/O, no clock.
 *
 * @example
 * ```ts
 * import { diffFleet, type FleetDiffInput } from "./diff_fleet.ts";
 * import { fleetLabelKeys } from "./fleet_labels.ts";
 * declare const found: Omit<FleetDiffInput, "labels">;
 * declare function apply(change: ReturnType<typeof diffFleet>["changes"][number]): void;
 * const diff = diffFleet({ ...found, labels: fleetLabelKeys() });
 * for (const change of diff.changes) apply(change);
 * ```
 */
export function diffFleet(input: FleetDiffInput): FleetDiff {
  const byDecky = new Map<string, ContainerSummary[]>();
  for (const c of input.containers) {
    const name = c.labels[input.labels.decky];
    if (!name) continue;
    const list = byDecky.get(name);
    if (list) list.push(c);
    else byDecky.set(name, [c]);
  }
  const rows = new Map(input.dbDeckies.map((d) => [d.name, d]));
  const recorded = new Set<string>();
  const changes: FleetChange[] = [];
  const stateFileStates: FleetDiff["stateFileStates"] = [];
  let unchanged = 0;
  for (const decky of input.stateDeckies) {
    recorded.add(decky.name);
    const current = deckyStateFromContainers(
      expectedContainers(decky),
      byDecky.get(decky.name) ?? [],
    );
    if (current !== decky.state) stateFileStates.push({ name: decky.name, state: current });
    const row = rows.get(decky.name);
    if (!row) changes.push({ kind: "insert", decky, current });
    else if (row.state !== current) {
      changes.push({ kind: "transition", decky, previous: row.state, current });
    } else if (!sameFields(decky, row)) changes.push({ kind: "update", decky, current });
    else unchanged++;
  }
  for (const row of input.dbDeckies) {
    if (!recorded.has(row.name)) {
      changes.push({ kind: "delete", name: row.name, previous: row.state });
    }
  }
  return { changes, unchanged, stateFileStates };
}

function sameFields(a: StateDecky, b: FleetDecky): boolean {
  return a.ip === b.ip && a.network === b.network && a.networkDriver === b.networkDriver &&
    a.osPersona === b.osPersona && JSON.stringify(a.services) === JSON.stringify(b.services) &&
    sameRecord(a.images, b.images);
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The base, one container per operator service, and one sensor for all sensor-served services. */
function expectedContainers(decky: StateDecky): number {
  const sensorServed = decky.services.filter((s) =>
    decky.images[s]?.startsWith(`${SENSOR_IMAGE_REPO}:`)
  );
  return 1 + decky.services.length - sensorServed.length + (sensorServed.length ? 1 : 0);
}
