import type { Logger } from "../log/mod.ts";

/** A clustering run every minute even when nothing on the bus asks for one. */
export const CLUSTER_INTERVAL_MS = 60_000;

/** New evidence is gathered this long before a run starts (a burst of events is one run). */
export const CLUSTER_DEBOUNCE_MS = 2_000;

/** Options of {@linkcode startClusteringSchedule}. */
export interface ClusteringScheduleOptions {
  /** One run; a failure is logged and the next run tries again. */
  run(): Promise<void>;
  log: Logger;
  /** @default CLUSTER_INTERVAL_MS */
  intervalMs?: number;
  /** @default CLUSTER_DEBOUNCE_MS */
  debounceMs?: number;
}

/** A running schedule. */
export interface ClusteringSchedule extends AsyncDisposable {
  /** New evidence: run once the debounce has passed (once more if a run is in progress). */
  poke(): void;
  /** Runs completed, and the last failure's message or null. */
  stats(): { runs: number; failures: number; last_error: string | null };
  /** Stops after the run in progress. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Runs at once, then whenever {@linkcode ClusteringSchedule.poke} is called
 * (debounced) and every `intervalMs` after the last run. Runs never
 * overlap: a poke during a run schedules one more.
 *
 * @example
 * ```ts
 * import type { Logger } from "../log/mod.ts";
 * declare const log: Logger;
 * await using schedule = startClusteringSchedule({ run: () => Promise.resolve(), log });
 * schedule.poke();
 * ```
 */
export function startClusteringSchedule(options: ClusteringScheduleOptions): ClusteringSchedule {
  const intervalMs = options.intervalMs ?? CLUSTER_INTERVAL_MS;
  const debounceMs = options.debounceMs ?? CLUSTER_DEBOUNCE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A poke's timer is not pushed back by later pokes: steady evidence still gets a run per debounce.
  let poked = false;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  const stats = { runs: 0, failures: 0, last_error: null as string | null };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    poked = false;
    if (!closed) timer = setTimeout(start, ms);
  };
  function start(): void {
    timer = undefined;
    poked = false;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        await options.run();
        stats.runs++;
      } catch (e) {
        stats.failures++;
        stats.last_error = e instanceof Error ? e.message : String(e);
        // The database may be down: the next run catches up.
        options.log.warn("clustering run failed", { error: stats.last_error });
      }
    })().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule(0);
      } else if (timer === undefined) schedule(intervalMs);
    });
  }
  start();

  const close = async () => {
    closed = true;
    clearTimeout(timer);
    await running;
  };
  return {
    poke: () => {
      if (running) again = true;
      else if (!poked) {
        schedule(debounceMs);
        poked = true;
      }
    },
    stats: () => ({ ...stats }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
