/**
 * Background work with a ceiling: `run` starts a task at once while fewer
 * than `limit` are in flight, otherwise waits for one to finish first
 * (backpressure instead of unbounded memory). Tasks must not reject.
 */
export class PendingTasks {
  readonly #limit: number;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Starts `task` once there is room; resolves when it has started. */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.#inFlight.size >= this.#limit) await Promise.race(this.#inFlight);
    const p: Promise<void> = task().finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  /** Waits until nothing is in flight. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
