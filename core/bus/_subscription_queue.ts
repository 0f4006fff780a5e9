// Folder-private: the bounded, drop-oldest queue behind every subscription.
import type { Logger } from "../log/mod.ts";
import type { BusHandler, BusMessage, SubscriptionStats } from "./base.ts";

/**
 * Holds messages for one handler and feeds them to it one at a time. Never
 * blocks the producer: when full, the oldest message is dropped and counted.
 */
export class SubscriptionQueue {
  readonly pattern: string;
  readonly #handler: BusHandler;
  readonly #limit: number;
  readonly #log: Logger;
  #items: BusMessage[] = [];
  #head = 0;
  #pumping = false;
  #closed = false;
  #delivered = 0;
  #dropped = 0;
  #failed = 0;

  constructor(pattern: string, handler: BusHandler, options: { limit: number; log: Logger }) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(
        `Cannot subscribe: expected queueSize to be a whole number >= 1, got "${options.limit}"`,
      );
    }
    this.pattern = pattern;
    this.#handler = handler;
    this.#limit = options.limit;
    this.#log = options.log;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues a message (dropping the oldest when full) and starts delivery. */
  push(message: BusMessage): void {
    if (this.#closed) return;
    this.#items.push(message);
    if (this.#items.length - this.#head > this.#limit) {
      this.#head++;
      this.#dropped++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    if (!this.#pumping) {
      this.#pumping = true;
      queueMicrotask(() => this.#pump().catch((e) => this.#log.error("bus pump failed", { e })));
    }
  }

  /** Stops delivery and forgets queued messages. */
  close(): void {
    this.#closed = true;
    this.#items = [];
    this.#head = 0;
  }

  stats(): SubscriptionStats {
    return {
      pattern: this.pattern,
      delivered: this.#delivered,
      dropped: this.#dropped,
      failed: this.#failed,
      queued: this.#items.length - this.#head,
    };
  }

  async #pump(): Promise<void> {
    try {
      while (!this.#closed && this.#head < this.#items.length) {
        const message = this.#items[this.#head];
        this.#head++;
        if (this.#head === this.#items.length) {
          this.#items = [];
          this.#head = 0;
        }
        this.#delivered++;
        try {
          await this.#handler(message);
        } catch (e) {
          this.#failed++;
          this.#log.warn("bus subscriber failed", {
            pattern: this.pattern,
            topic: message.topic,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
    } finally {
      this.#pumping = false;
    }
  }
}
