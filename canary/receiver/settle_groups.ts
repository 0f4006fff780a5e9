import { setImmediate } from "node:timers";

/**
 * Items that wait for the sink's next commit together: the first item added
 * asks for one settle, every item added before the I/O already received has
 * been handled joins it (the batcher would have put their own settles in the
 * same write), and all of them are handed back at once when it completes.
 * An answer waiting this way holds no promise or closure of its own, which
 * under load was most of a DNS answer's garbage.
 *
 * @example
 * ```ts
 * import { SettleGroups } from "./settle_groups.ts";
 * import type { TriggerBatcher } from "./trigger_batcher.ts";
 * declare const batcher: TriggerBatcher;
 * declare function send(bytes: Uint8Array): void;
 * const groups = new SettleGroups<Uint8Array>(() => batcher.settle(), (answers, error) => {
 *   if (error === null) answers.forEach(send);
 * });
 * groups.add(Uint8Array.of(1, 2, 3)); // sent once the next commit is durable
 * ```
 */
export class SettleGroups<T> {
  readonly #settle: () => Promise<void>;
  readonly #done: (items: T[], error: unknown) => void;
  /** The group still open to new items, or null once its turn is over. */
  #open: T[] | null = null;
  #waiting = new Set<Promise<void>>();

  /**
   * @param settle resolves with the sink's next commit (rejects when it fails)
   * @param done gets each group's items once its settle completed: `error` is null, or why it failed
   */
  constructor(settle: () => Promise<void>, done: (items: T[], error: unknown) => void) {
    this.#settle = settle;
    this.#done = done;
  }

  /** Adds an item to the open group (opening one if none is). */
  add(item: T): void {
    if (this.#open !== null) {
      this.#open.push(item);
      return;
    }
    const items = [item];
    this.#open = items;
    // After the settle, so the batcher's own immediate (when it was idle) runs first: an item
    // added before this one closes the group could not have reached a later write.
    const waiting = this.#settle().then(
      () => this.#done(items, null),
      (e) => this.#done(items, e ?? new Error("settle failed")),
    ).finally(() => this.#waiting.delete(waiting));
    this.#waiting.add(waiting);
    setImmediate(() => this.#open = null);
  }

  /** Resolves once every group added so far has been handed back. */
  async idle(): Promise<void> {
    while (this.#waiting.size > 0) await Promise.all(this.#waiting);
  }
}
