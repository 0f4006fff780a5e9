import { ensureJwtSecret } from "../core/config/mod.ts";
import type { Config } from "../core/config/mod.ts";
import { openBus } from "../core/bus/mod.ts";
import { openMigratedDatabase } from "../core/db/mod.ts";
import { printLine } from "../core/log/mod.ts";
import { runWorker } from "../core/workers/mod.ts";
import { MallocTrimmer } from "../core/workers/malloc_trimmer.ts";
import { reduceHeap } from "../core/workers/reduce_heap.ts";
import type { WorkerDefinition } from "../core/workers/mod.ts";
import { loggerFor } from "./cli_context.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";

/**
 * Runs one worker in this process (the systemd-per-worker layout): same
 * start function, heartbeat and control as under `decnet up`; returns
 * when SIGINT/SIGTERM or a bus `stop` arrives. Several definitions run
 * side by side on one bus (e.g. `decnet canary` with the collector's duty),
 * stopped in reverse order.
 */
export async function runStandalone(
  definitions: WorkerDefinition | WorkerDefinition[],
  config: Config,
): Promise<void> {
  const all = Array.isArray(definitions) ? definitions : [definitions];
  const name = all.map((d) => d.name).join("+");
  const log = loggerFor(config, name);
  // The canary listeners alone never touch the database (nor the secret beside it).
  if (all.some((d) => d.needs(config).database)) {
    await ensureJwtSecret(config);
    await (await openMigratedDatabase(config.dbUrl)).close();
  }
  await using bus = openBus({
    busUrl: config.busUrl,
    name,
    // Nothing else in this process listens: no BroadcastChannel.
    broadcast: false,
    logger: log.child("bus"),
  });
  // The same native-memory give-back as under `decnet up`'s supervisor.
  using _trimmer = new MallocTrimmer({ log, reduceHeaps: reduceHeap });
  const stopRequested = new AbortController();
  const running = [];
  try {
    for (const definition of all) {
      const worker = await runWorker(definition, config, {
        bus,
        log: all.length > 1 ? log.child(definition.name) : log,
        restarts: 0,
        peers: all.map((d) => d.name),
        onStopRequested: () => stopRequested.abort(),
      });
      running.push(worker);
      for (const line of worker.handle.banner ?? []) printLine(line);
    }
    const reason = await waitForShutdown(stopRequested.signal);
    log.info("stopping", { reason });
  } finally {
    for (const worker of running.reverse()) await worker.close();
  }
}
