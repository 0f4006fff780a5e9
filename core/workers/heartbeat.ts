import type { Bus, HealthPayload, JsonValue } from "../bus/mod.ts";
import { healthTopic } from "../bus/mod.ts";

/** How often a worker reports. */
export const HEARTBEAT_INTERVAL_MS = 30_000;

/** Options for {@linkcode startHeartbeat}. */
export interface HeartbeatOptions {
  /** Restarts so far (the supervisor tells the worker at spawn). */
  restarts: number;
  /** Why the previous run crashed (the supervisor tells the worker at spawn). @default null */
  lastError?: string | null;
  /** Worker-specific figures, read at each beat. */
  extras?: () => Record<string, JsonValue>;
  intervalMs?: number;
  now?: () => Date;
}

/** A running heartbeat; stop() clears its timer. */
export interface Heartbeat extends Disposable {
  /** Publishes one beat now (also done at start). */
  beat(): void;
  stop(): void;
}

/**
 * Publishes `system.<worker>.health` at start and then every 30 s:
 * uptime, restarts, the last crash's error, the worker's extras and its
 * isolate's V8 heap (`heap_used_bytes`, `heap_total_bytes`).
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Orchestrator } from "../orchestrator/orchestrator.ts";
 * import { startHeartbeat } from "./heartbeat.ts";
 * declare const bus: Bus;
 * declare const orchestrator: Orchestrator;
 * using heartbeat = startHeartbeat(bus, "orchestrator", {
 *   restarts: 0,
 *   extras: () => orchestrator.extras(),
 * });
 * ```
 */
export function startHeartbeat(bus: Bus, worker: string, options: HeartbeatOptions): Heartbeat {
  const now = options.now ?? (() => new Date());
  const startedAt = now().getTime();
  const beat = () => {
    let details: Record<string, JsonValue> = {};
    try {
      // This isolate's own V8 heap (rss would be the whole process's, shared by every worker).
      const { heapUsed, heapTotal } = Deno.memoryUsage();
      details = {
        ...options.extras?.(),
        bus_dropped: bus.stats().dropped,
        heap_used_bytes: heapUsed,
        heap_total_bytes: heapTotal,
      };
    } catch (e) {
      details = { extras_error: (e as Error).message };
    }
    const at = now();
    const payload: HealthPayload = {
      worker,
      status: "ok",
      state: "running",
      at: at.toISOString(),
      uptime_seconds: Math.round((at.getTime() - startedAt) / 1000),
      restarts: options.restarts,
      last_error: options.lastError ?? null,
      details,
    };
    bus.publish(healthTopic(worker), payload);
  };
  beat();
  const timer = setInterval(beat, options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
  const stop = () => clearInterval(timer);
  return { beat, stop, [Symbol.dispose]: stop };
}
