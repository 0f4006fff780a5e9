import { ensureJwtSecret } from "../core/config/mod.ts";
import type { Config } from "../core/config/mod.ts";
import { openBus } from "../core/bus/mod.ts";
import { openMigratedDatabase } from "../core/db/mod.ts";
import { printLine } from "../core/log/mod.ts";
import { runWorker } from "../core/workers/mod.ts";
import type { WorkerDefinition } from "../core/workers/mod.ts";
import { loggerFor } from "./cli_context.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";

/**
 * Runs one worker in this process (the systemd-per-worker layout): same
 * start function, heartbeat and control as under `decnet up`; returns
 * when SIGINT/SIGTERM or a bus `stop` arrives.
 */
export async function runStandalone(definition: WorkerDefinition, config: Config): Promise<void> {
  const log = loggerFor(config, definition.name);
  await ensureJwtSecret(config);
  await (await openMigratedDatabase(config.dbUrl)).close();
  await using bus = openBus({
    busUrl: config.busUrl,
    name: definition.name,
    // Nothing else in this process listens: no BroadcastChannel.
    broadcast: false,
    logger: log.child("bus"),
  });
  const stopRequested = new AbortController();
  const running = await runWorker(definition, config, {
    bus,
    log,
    restarts: 0,
    peers: [definition.name],
    onStopRequested: () => stopRequested.abort(),
  });
  for (const line of running.handle.banner ?? []) printLine(line);
  const reason = await waitForShutdown(stopRequested.signal);
  log.info("stopping", { reason });
  await running.close();
}
