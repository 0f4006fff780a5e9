import type { RecordAudit } from "../audit/mod.ts";
import { errorText } from "../log/mod.ts";
import type { ContainerSummary } from "../docker/mod.ts";
import type { FleetContext } from "./fleet_context.ts";
import { fleetLabelKeys } from "./fleet_labels.ts";
import { forgetDecky } from "./forget_decky.ts";

/** Options for {@linkcode teardownFleet}: `all`, or the `names` to remove. */
export interface TeardownFleetOptions {
  all?: boolean;
  names?: readonly string[];
  signal?: AbortSignal;
  /** Records `decky.torn_down` per decky removed or failed, for the actor who asked. */
  audit?: RecordAudit;
}

/** What happened to one decky. */
export interface DeckyTeardownResult {
  name: string;
  /** removed (containers and/or records were removed), absent (nothing known) or failed. */
  status: "removed" | "absent" | "failed";
  /** Containers removed. */
  containers: number;
  error?: string;
}

/** Outcome of a teardown. */
export interface TeardownFleetResult {
  results: DeckyTeardownResult[];
  /** Networks of ours removed because no decky uses them any more. */
  networksRemoved: string[];
  error?: string;
}

/**
 * Tears deckies down: removes their containers (services first, then the
 * base), then their state-file entry and this host's row. Idempotent; a
 * teardown interrupted half-way finishes on the next run because records
 * go only after the containers. With `all`, every decky known to the state
 * file, this host's rows or our container labels goes, and our networks
 * that no decky uses any more are removed.
 *
 * @param context Docker, repositories, state file, bus and log.
 * @param options `all` or `names`.
 * @returns Per-decky results.
 */
export async function teardownFleet(
  context: FleetContext,
  options: TeardownFleetOptions,
): Promise<TeardownFleetResult> {
  options.signal?.throwIfAborted();
  const labels = context.labels ?? fleetLabelKeys();
  let containers: ContainerSummary[];
  try {
    containers = await context.docker.listContainers({
      labels: { [labels.managed]: "true", [labels.host]: context.hostUuid },
      all: true,
    });
  } catch (e) {
    context.log.error("teardown stopped: cannot list containers", { error: e });
    await options.audit?.({
      action: "decky.torn_down",
      target: options.all ? "*" : (options.names ?? []).join(","),
      outcome: "failure",
      detail: { error: errorText(e) },
    });
    return { results: [], networksRemoved: [], error: errorText(e) };
  }
  const recorded = await context.stateFile.read();
  let names: string[];
  if (options.all) {
    const set = new Set(recorded.map((d) => d.name));
    for (const c of containers) if (c.labels[labels.decky]) set.add(c.labels[labels.decky]);
    try {
      for (const row of await context.fleet.list({ hostUuid: context.hostUuid })) set.add(row.name);
    } catch (e) {
      context.log.warn("cannot list database rows; reconcile will remove them later", { error: e });
    }
    names = [...set].sort();
  } else names = [...new Set(options.names ?? [])];

  const results: DeckyTeardownResult[] = [];
  for (const name of names) {
    const mine = containers.filter((c) => c.labels[labels.decky] === name)
      .sort((a, b) =>
        (a.labels[labels.role] === "base" ? 1 : 0) - (b.labels[labels.role] === "base" ? 1 : 0)
      );
    try {
      for (const c of mine) await context.docker.removeContainer(c.id, { force: true });
      const forgotten = await forgetDecky(context, name);
      const status = mine.length || forgotten ? "removed" : "absent";
      if (status === "removed") {
        context.log.info("decky torn down", { decky: name, containers: mine.length });
      }
      results.push({ name, status, containers: mine.length });
    } catch (e) {
      context.log.error("decky teardown failed", { decky: name, error: e });
      results.push({ name, status: "failed", containers: 0, error: errorText(e) });
    }
  }

  const networksRemoved: string[] = [];
  try {
    const inUse = new Set((await context.stateFile.read()).map((d) => d.network));
    const ours = await context.docker.listNetworks({
      labels: { [labels.managed]: "true", [labels.host]: context.hostUuid },
    });
    for (const network of ours) {
      if (inUse.has(network.name)) continue;
      try {
        await context.docker.removeNetwork(network.id);
        networksRemoved.push(network.name);
        context.log.info("network removed", { network: network.name });
      } catch (e) {
        context.log.warn("cannot remove network", { network: network.name, error: e });
      }
    }
  } catch (e) {
    context.log.warn("cannot remove unused networks", { error: e });
  }
  for (const r of results) {
    if (r.status === "absent") continue;
    await options.audit?.({
      action: "decky.torn_down",
      target: r.name,
      outcome: r.status === "removed" ? "success" : "failure",
      detail: { containers: r.containers, ...(r.error ? { error: r.error } : {}) },
    });
  }
  const failures = results.filter((r) => r.status === "failed").length;
  return {
    results,
    networksRemoved,
    ...(failures ? { error: `${failures} of ${results.length} deckies failed` } : {}),
  };
}
