/**
 * Background work with a ceiling: `run` starts a task at once while fewer
 * than `limit` are in flight, otherwise waits for a slot first
 * (backpressure instead of unbounded memory). Tasks must not reject.
 */
export class PendingTasks {
  readonly #limit: number;
  #inFlight = 0;
  readonly #waiters: (() => void)[] = [];
  #idle: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Starts `task` once there is room; resolves when it has started. */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.#inFlight >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#inFlight++;
    task().finally(() => {
      this.#inFlight--;
      this.#waiters.shift()?.();
      if (this.#inFlight === 0) {
        const idle = this.#idle;
        this.#idle = [];
        for (const resolve of idle) resolve();
      }
    });
  }

  /** Waits until nothing is in flight. */
  async drain(): Promise<void> {
    while (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /** Tasks in flight. */
  get size(): number {
    return this.#inFlight;
  }
}
