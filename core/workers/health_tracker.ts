import type { Bus, BusPayload, JsonValue, Subscription } from "../bus/mod.ts";
import { controlTopic, TOPIC_PATTERNS } from "../bus/mod.ts";
import type { ControlPayload } from "../bus/mod.ts";

/** A worker counts as healthy when heard from this recently. */
export const HEALTHY_WITHIN_MS = 90_000;

/** The latest word from one worker. */
export interface WorkerHealth {
  name: string;
  healthy: boolean;
  state: string;
  restarts: number;
  uptime_seconds: number | null;
  last_heartbeat: string | null;
  /** Why it last crashed (also while it is restarting), or null. */
  last_error: string | null;
  extras: Record<string, JsonValue>;
}

/**
 * Keeps the newest `system.<w>.health` of every worker and judges health
 * (running and heard from within 90 s). Used by the supervisor and the API.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import { WorkerHealthTracker } from "./health_tracker.ts";
 * import type { WorkerRegistry } from "./worker_registry.ts";
 * declare const bus: Bus;
 * declare const registry: WorkerRegistry;
 * using tracker = new WorkerHealthTracker(bus, { expected: registry.names() });
 * tracker.snapshot(new Date());
 * ```
 */
export class WorkerHealthTracker implements Disposable {
  readonly #latest = new Map<string, { payload: BusPayload; heardAt: number }>();
  readonly #expected: string[];
  readonly #subscription: Subscription;

  constructor(bus: Bus, options: { expected: string[] }) {
    this.#expected = [...options.expected];
    this.#subscription = bus.subscribe(TOPIC_PATTERNS.health, ({ payload }) => {
      this.record(payload, Date.now());
    });
    // Heartbeats come every 30 s; ask for one now rather than report "unknown" until then.
    const at = new Date().toISOString();
    for (const worker of this.#expected) {
      const request: ControlPayload = { action: "report", at };
      bus.publish(controlTopic(worker), request);
    }
  }

  /** Records a health payload heard at `heardAt` (ms). */
  record(payload: BusPayload, heardAt: number): void {
    if (typeof payload.worker !== "string") return;
    this.#latest.set(payload.worker, { payload, heardAt });
  }

  /** Every expected or heard-from worker, by name. */
  snapshot(now: Date): WorkerHealth[] {
    const names = new Set([...this.#expected, ...this.#latest.keys()]);
    return [...names].sort().map((name) => {
      const entry = this.#latest.get(name);
      if (!entry) {
        return {
          name,
          healthy: false,
          state: "unknown",
          restarts: 0,
          uptime_seconds: null,
          last_heartbeat: null,
          last_error: null,
          extras: {},
        };
      }
      const p = entry.payload;
      const state = typeof p.state === "string" ? p.state : "running";
      const fresh = now.getTime() - entry.heardAt <= HEALTHY_WITHIN_MS;
      return {
        name,
        healthy: fresh && state === "running" && p.status !== "failing",
        state: fresh || state !== "running" ? state : "silent",
        restarts: typeof p.restarts === "number" ? p.restarts : 0,
        uptime_seconds: typeof p.uptime_seconds === "number" ? p.uptime_seconds : null,
        last_heartbeat: new Date(entry.heardAt).toISOString(),
        last_error: typeof p.last_error === "string" ? p.last_error : null,
        extras: (p.details && typeof p.details === "object" && !Array.isArray(p.details)
          ? p.details
          : {}) as Record<string, JsonValue>,
      };
    });
  }

  [Symbol.dispose](): void {
    this.#subscription.unsubscribe();
  }
}
