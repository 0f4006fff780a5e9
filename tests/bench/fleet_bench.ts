/**
 * Reconcile pass time with 500 deckies (3 containers each) in the state
 * file, SQLite file database: quiet passes, a first pass that inserts every
 * row, and passes where 50 deckies change state. Docker's one labelled
 * listing is served by a fake returning the 1,500 summaries (the daemon's
 * own listing time comes on top), plus the pure diff alone.
 */
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { ContainerSummary, DockerClient } from "../../core/docker/mod.ts";
import {
  diffFleet,
  type FleetContext,
  fleetLabelKeys,
  reconcileFleet,
  type StateDecky,
  StateFile,
} from "../../core/fleet/mod.ts";
import { Logger, printLine } from "../../core/log/mod.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const DECKIES = 500;
const labels = fleetLabelKeys();
const home = await Deno.makeTempDir({ prefix: "fleet-bench-" });
try {
  const now = new Date("2026-11-18T14:00:00.000Z");
  const deckies: StateDecky[] = Array.from({ length: DECKIES }, (_, i) => ({
    name: `decky-${String(i).padStart(3, "0")}`,
    uuid: crypto.randomUUID(),
    ip: `10.${Math.floor(i / 250)}.${i % 250}.10`,
    services: ["ssh", "http"],
    images: { base: "img", ssh: "img", http: "img" },
    network: "decoys",
    networkDriver: "bridge",
    osPersona: "linux",
    state: "running",
    stateSince: now.toISOString(),
  }));
  const stateFile = new StateFile(home, "local");
  await stateFile.update(() => deckies, now);
  let stopped = new Set<string>();
  const containers = (): ContainerSummary[] =>
    deckies.flatMap((d) =>
      ["", "-ssh", "-http"].map((suffix, j) => ({
        id: `${d.name}${suffix}`,
        names: [`${d.name}${suffix}`],
        image: "img",
        labels: { [labels.managed]: "true", [labels.host]: "local", [labels.decky]: d.name },
        state: j === 1 && stopped.has(d.name) ? "exited" : "running",
      }))
    );
  let listings = 0;
  const docker = {
    listContainers: () => {
      listings++;
      return Promise.resolve(containers());
    },
  } as unknown as DockerClient;
  await using handle = await openMigratedDatabase(`sqlite:${home}/bench.db`);
  await using bus = new MemoryBus({ channel: `bench-${crypto.randomUUID()}` });
  const repos = createRepositories(handle);
  const context: FleetContext = {
    hostUuid: "local",
    docker,
    fleet: repos.fleet,
    stateFile,
    bus,
    log: new Logger({ level: "error" }),
    now: () => new Date(),
  };

  const t0 = performance.now();
  const first = await reconcileFleet(context);
  printLine(
    `first pass (inserts ${first.inserted} rows): ${(performance.now() - t0).toFixed(1)} ms`,
  );
  printLine(
    formatTimings(
      `quiet pass, ${DECKIES} deckies`,
      await timeIt(30, () => reconcileFleet(context)),
    ),
  );
  printLine(
    formatTimings(
      `pass with 50 transitions`,
      await timeIt(20, async (i) => {
        stopped = new Set(deckies.slice(0, 50).map((d) => d.name));
        if (i % 2 === 1) stopped = new Set();
        await reconcileFleet(context);
      }, 2),
    ),
  );
  const dbDeckies = await repos.fleet.list({ hostUuid: "local" });
  const listing = containers();
  printLine(
    formatTimings(
      `diffFleet() alone, ${DECKIES} deckies`,
      await timeIt(
        200,
        () => diffFleet({ stateDeckies: deckies, dbDeckies, containers: listing, labels }),
      ),
    ),
  );
  printLine(`docker listings: ${listings} (one per pass)`);
} finally {
  await Deno.remove(home, { recursive: true });
}
