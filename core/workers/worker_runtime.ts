import type { Bus, JsonValue, Subscription } from "../bus/mod.ts";
import { controlTopic, NatsBus } from "../bus/mod.ts";
import type { Config } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import { startHeartbeat } from "./heartbeat.ts";
import type { Heartbeat } from "./heartbeat.ts";
import type { WorkerDefinition, WorkerHandle } from "./worker_definition.ts";
import { scopedConfig } from "./worker_definition.ts";

/** Options for {@linkcode runWorker}. */
export interface RunWorkerOptions {
  bus: Bus;
  log: Logger;
  restarts: number;
  /** Why the previous run crashed, reported in each heartbeat. @default null */
  lastError?: string | null;
  peers: string[];
  /** Over NATS: how long to wait for the first connection before starting anyway. @default 10000 */
  busReadyTimeoutMs?: number;
  /** Called when a `system.<w>.control {action: "stop"}` arrives ("report" beats at once). */
  onStopRequested?: () => void;
}

/** A started worker with its heartbeat and control subscription. */
export interface RunningWorker {
  handle: WorkerHandle;
  close(): Promise<void>;
}

/**
 * Starts a worker's job with the machinery every worker shares, wherever it
 * runs (a Deno Worker under `decnet up` or the main thread of a standalone
 * subcommand): heartbeat with the job's extras, and obedience to
 * `system.<w>.control`. The job receives only its declared `configKeys`.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Config } from "../config/config.ts";
 * import type { Logger } from "../log/logger.ts";
 * import { runWorker } from "./worker_runtime.ts";
 * import { canaryWorker } from "../../canary/canary_worker.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const log: Logger;
 * const running = await runWorker(canaryWorker, config, { bus, log, restarts: 0, peers: [] });
 * await running.close();
 * ```
 */
export async function runWorker<K extends keyof Config>(
  definition: WorkerDefinition<K>,
  config: Pick<Config, K>,
  options: RunWorkerOptions,
): Promise<RunningWorker> {
  if (options.bus instanceof NatsBus) {
    // A beat or a report request published before the first connection is refused, and the
    // next beat is 30 s away: wait for the bus, but a bus that stays down stops no worker.
    await options.bus.ready(AbortSignal.timeout(options.busReadyTimeoutMs ?? 10_000)).catch(
      () => options.log.warn("bus not connected yet; starting anyway"),
    );
  }
  const handle = await definition.start(scopedConfig(definition, config), {
    log: options.log,
    bus: options.bus,
    peers: options.peers,
  });
  // Subscribed before the first beat: a report request published before that beat is then
  // either answered or older than the beat, so a late API always hears from this worker. (Bus
  // handlers run asynchronously, so `heartbeat` exists by the time one is called.)
  const control: Subscription = options.bus.subscribe(
    controlTopic(definition.name),
    ({ payload }) => {
      if (payload.action === "stop") {
        options.log.info("stop requested over the bus");
        options.onStopRequested?.();
      } else if (payload.action === "report") {
        heartbeat.beat();
      }
    },
  );
  const heartbeat: Heartbeat = startHeartbeat(options.bus, definition.name, {
    restarts: options.restarts,
    lastError: options.lastError ?? null,
    extras: () => (handle.extras?.() ?? {}) as Record<string, JsonValue>,
  });
  let closed: Promise<void> | undefined;
  return {
    handle,
    close: () =>
      closed ??= (async () => {
        control.unsubscribe();
        heartbeat.stop();
        await handle.close();
      })(),
  };
}
