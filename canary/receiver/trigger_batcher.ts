import { setImmediate } from "node:timers";
import type { TriggerRecord, TriggerSink } from "./trigger_sink.ts";

interface Queued {
  trigger: TriggerRecord;
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
  /** Every settle() until the next write starts shares one promise (an unknown slug's wait costs no closure). */
  #settles: PromiseWithResolvers<void> | null = null;
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
    this.#settles ??= Promise.withResolvers<void>();
    this.#schedule();
    return this.#settles.promise;
  }

  #schedule(): void {
    if (this.#busy) return;
    this.#busy = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    const settles = this.#settles;
    this.#settles = null;
    try {
      if (batch.length === 0) {
        await this.#sink.settle?.();
      } else if (this.#sink.recordTriggers && batch.length > 1) {
        await this.#sink.recordTriggers(batch.map((q) => q.trigger)).then(
          () => batch.forEach((q) => q.resolve()),
          (e) => {
            batch.forEach((q) => q.reject(e));
            throw e;
          },
        );
      } else {
        for (const q of batch) {
          await this.#sink.recordTrigger(q.trigger).then(q.resolve, q.reject);
        }
      }
      settles?.resolve();
    } catch (e) {
      settles?.reject(e);
    } finally {
      this.#busy = false;
      if (this.#queue.length > 0 || this.#settles !== null) this.#schedule();
    }
  }
}
