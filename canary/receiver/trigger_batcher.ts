import type { TriggerRecord, TriggerSink } from "./trigger_sink.ts";

interface Queued {
  trigger: TriggerRecord;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Group commit: triggers queue up and each write takes everything queued
 * (through `recordTriggers` when the sink has it: one transaction per batch).
 * A write starts on the next macrotask, so requests already received get
 * into it even when the database answers synchronously (node:sqlite). An
 * idle receiver writes each trigger about a millisecond after it arrives.
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

  #schedule(): void {
    if (this.#busy) return;
    this.#busy = true;
    setTimeout(() => void this.#flush(), 0);
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    try {
      if (this.#sink.recordTriggers && batch.length > 1) {
        await this.#sink.recordTriggers(batch.map((q) => q.trigger)).then(
          () => batch.forEach((q) => q.resolve()),
          (e) => batch.forEach((q) => q.reject(e)),
        );
      } else {
        for (const q of batch) await this.#sink.recordTrigger(q.trigger).then(q.resolve, q.reject);
      }
    } finally {
      this.#busy = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }
}
