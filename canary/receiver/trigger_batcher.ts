import { setImmediate } from "node:timers";
import type { TriggerRecord, TriggerSink } from "./trigger_sink.ts";

interface Queued {
  /** null: a settle, which waits for the same write without adding to it. */
  trigger: TriggerRecord | null;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Group commit: triggers queue up and each write takes everything queued
 * (through `recordTriggers` when the sink has it: one transaction per batch).
 * A write starts once the I/O already received has been handled (an
 * immediate, not a timer: Deno fires `setTimeout(0)` after ~2 ms, which
 * every answer would wait), so requests that arrived together share it
 * even when the database answers synchronously (node:sqlite).
 */
export class TriggerBatcher {
  readonly #sink: TriggerSink;
  readonly #maxBatch: number;
  #queue: Queued[] = [];
  #busy = false;

  constructor(sink: TriggerSink, maxBatch = 512) {
    this.#sink = sink;
    this.#maxBatch = maxBatch;
  }

  /** Resolves once the trigger is stored; rejects with the sink's error. */
  record(trigger: TriggerRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ trigger, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Resolves with the next write, adding nothing to it (through `settle`
   * when the sink has it): an unknown slug takes the same path and the same
   * time as a recorded one.
   */
  settle(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ trigger: null, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#busy) return;
    this.#busy = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    const records = batch.filter((q): q is Queued & { trigger: TriggerRecord } =>
      q.trigger !== null
    );
    const settles = batch.filter((q) => q.trigger === null);
    try {
      if (records.length === 0) {
        await (this.#sink.settle?.() ?? Promise.resolve()).then(
          () => settles.forEach((q) => q.resolve()),
          (e) => settles.forEach((q) => q.reject(e)),
        );
      } else if (this.#sink.recordTriggers && records.length > 1) {
        await this.#sink.recordTriggers(records.map((q) => q.trigger)).then(
          () => batch.forEach((q) => q.resolve()),
          (e) => batch.forEach((q) => q.reject(e)),
        );
      } else {
        for (const q of records) {
          await this.#sink.recordTrigger(q.trigger).then(q.resolve, q.reject);
        }
        settles.forEach((q) => q.resolve());
      }
    } finally {
      this.#busy = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }
}
