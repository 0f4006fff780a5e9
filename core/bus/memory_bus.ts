import { Logger } from "../log/mod.ts";
import type {
  Bus,
  BusHandler,
  BusLink,
  BusPayload,
  BusStats,
  SubscribeOptions,
  Subscription,
} from "./base.ts";
import { DEFAULT_QUEUE_SIZE } from "./base.ts";
import { SubscriptionQueue } from "./_subscription_queue.ts";
import { assertPattern, topicMatches, topicProblem } from "./_topic_syntax.ts";

/** Default channel shared by every thread of one `decnet up`. */
export const DEFAULT_BUS_CHANNEL = "decnet";

/** Options for {@linkcode MemoryBus}. */
export interface MemoryBusOptions {
  /**
   * BroadcastChannel name: every MemoryBus with the same channel, in this
   * thread or in any Worker of this process, sees the others' messages.
   * Deno's BroadcastChannel drops messages when more than about 256 are in
   * flight to a busy thread; such losses are detected and counted in
   * `stats().lost`. Use `port` links where bursts matter.
   * @default "decnet"
   */
  channel?: string;
  /** false: no BroadcastChannel, only local subscribers and port links. */
  broadcast?: boolean;
  /**
   * A MessagePort to a hub bus (see {@linkcode MemoryBus.linkWorker}): a
   * lossless, ordered link, e.g. from a Worker to the supervisor's bus.
   */
  port?: MessagePort;
  /** Default queue bound of new subscriptions. @default 1024 */
  queueSize?: number;
  /** Where failures are logged. @default a Logger scoped "bus" */
  logger?: Logger;
}

interface WireMessage {
  topic: string;
  json: string;
  /** BroadcastChannel only: sender id and sequence, to count what the channel dropped. */
  from?: string;
  seq?: number;
}

/**
 * The in-process bus of `decnet up`: local subscribers are served directly,
 * a BroadcastChannel carries each message to the same channel in the
 * process's other threads (Deno Workers), and optional MessagePort links
 * (a hub in the supervisor, one port per Worker) carry them without loss.
 *
 * @example
 * ```ts
 * import type { Logger } from "../log/logger.ts";
 * declare const log: Logger;
 * await using bus = new MemoryBus();
 * bus.subscribe("canary.*.triggered", ({ topic, payload }) => log.info(topic, payload));
 * bus.publish("canary.8f14e45f.triggered", { token_uuid: "8f14e45f" });
 * ```
 */
export class MemoryBus implements Bus {
  readonly #channel: BroadcastChannel | null;
  readonly #queueSize: number;
  readonly #log: Logger;
  readonly #queues = new Set<SubscriptionQueue>();
  readonly #ports = new Set<MessagePort>();
  readonly #id = crypto.randomUUID();
  readonly #lastSeq = new Map<string, number>();
  #seq = 0;
  #lost = 0;
  #closed = false;
  #published = 0;
  #publishErrors = 0;
  #closedTotals = { delivered: 0, dropped: 0, failed: 0 };

  constructor(options: MemoryBusOptions = {}) {
    this.#queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
    this.#log = options.logger ?? new Logger({ scope: "bus" });
    this.#channel = options.broadcast === false
      ? null
      : new BroadcastChannel(`bus:${options.channel ?? DEFAULT_BUS_CHANNEL}`);
    if (this.#channel) {
      this.#channel.onmessage = (event: MessageEvent<WireMessage>) => {
        const { topic, json, from, seq } = event.data ?? {};
        if (typeof topic !== "string" || typeof json !== "string") return;
        if (typeof from === "string" && typeof seq === "number") {
          const last = this.#lastSeq.get(from);
          if (last !== undefined && seq > last + 1) this.#lost += seq - last - 1;
          this.#lastSeq.set(from, seq);
        }
        this.#deliver(topic, json);
      };
    }
    if (options.port) this.#attach(options.port);
  }

  /**
   * Links a Worker's bus through a new MessagePort pair (the Worker gets
   * `port` and opens `new MemoryBus({ port, broadcast: false })`): messages
   * flow both ways, and what arrives on one link is passed on to the
   * others, so a hub with one link per Worker joins them all.
   *
   * @example
   * ```ts
   * import type { MemoryBus } from "./memory_bus.ts";
   * declare const bus: MemoryBus;
   * declare const worker: Worker;
   * const link = bus.linkWorker();
   * worker.postMessage({ busPort: link.port }, [link.port]);
   * worker.onerror = () => link.unlink();
   * ```
   */
  linkWorker(): BusLink {
    const { port1, port2 } = new MessageChannel();
    this.#attach(port1);
    return { port: port2, unlink: () => this.#detach(port1) };
  }

  #attach(port: MessagePort): void {
    if (this.#closed) throw new TypeError("Cannot attach a port: bus is closed");
    this.#ports.add(port);
    port.onmessage = (event: MessageEvent<WireMessage>) => {
      const { topic, json } = event.data ?? {};
      if (typeof topic !== "string" || typeof json !== "string") return;
      this.#deliver(topic, json);
      for (const other of this.#ports) if (other !== port) this.#post(other, { topic, json });
    };
  }

  #detach(port: MessagePort): void {
    if (!this.#ports.delete(port)) return;
    port.onmessage = null;
    port.close();
  }

  publish(topic: string, payload: BusPayload): void {
    if (this.#closed) return this.#refuse(topic, "bus is closed");
    const problem = topicProblem(topic);
    if (problem) return this.#refuse(topic, problem);
    let json: string;
    try {
      json = JSON.stringify(payload);
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
        return this.#refuse(topic, "expected a JSON object payload");
      }
    } catch (e) {
      return this.#refuse(topic, `payload is not JSON-safe (${(e as Error).message})`);
    }
    this.#published++;
    this.#deliver(topic, json);
    for (const port of this.#ports) this.#post(port, { topic, json });
    if (this.#channel) {
      try {
        this.#channel.postMessage({ topic, json, from: this.#id, seq: ++this.#seq });
      } catch (e) {
        this.#publishErrors++;
        this.#log.warn("bus broadcast failed", { topic, error: (e as Error).message });
      }
    }
  }

  subscribe(pattern: string, handler: BusHandler, options: SubscribeOptions = {}): Subscription {
    assertPattern(pattern);
    if (this.#closed) throw new TypeError(`Cannot subscribe: bus is closed, got "${pattern}"`);
    const queue = new SubscriptionQueue(pattern, handler, {
      limit: options.queueSize ?? this.#queueSize,
      log: this.#log,
    });
    this.#queues.add(queue);
    const close = () => this.#forget(queue);
    return { pattern, unsubscribe: close, close, [Symbol.dispose]: close };
  }

  stats(): BusStats {
    const subscriptions = [...this.#queues].map((q) => q.stats());
    const sum = (key: "delivered" | "dropped" | "failed") =>
      subscriptions.reduce((n, s) => n + s[key], this.#closedTotals[key]);
    return {
      kind: "memory",
      connected: !this.#closed,
      published: this.#published,
      publishErrors: this.#publishErrors,
      delivered: sum("delivered"),
      dropped: sum("dropped"),
      lost: this.#lost,
      failed: sum("failed"),
      subscriptions,
    };
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const queue of [...this.#queues]) this.#forget(queue);
    if (this.#channel) {
      this.#channel.onmessage = null;
      this.#channel.close();
    }
    for (const port of this.#ports) {
      port.onmessage = null;
      port.close();
    }
    this.#ports.clear();
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #deliver(topic: string, json: string): void {
    for (const queue of this.#queues) {
      if (!topicMatches(queue.pattern, topic)) continue;
      queue.push({ topic, payload: JSON.parse(json) as BusPayload });
    }
  }

  #post(port: MessagePort, message: WireMessage): void {
    try {
      port.postMessage(message);
    } catch (e) {
      this.#publishErrors++;
      this.#log.warn("bus port post failed", { topic: message.topic, error: (e as Error).message });
    }
  }

  #forget(queue: SubscriptionQueue): void {
    if (!this.#queues.delete(queue)) return;
    const s = queue.stats();
    this.#closedTotals.delivered += s.delivered;
    this.#closedTotals.dropped += s.dropped + s.queued;
    this.#closedTotals.failed += s.failed;
    queue.close();
  }

  #refuse(topic: string, why: string): void {
    this.#publishErrors++;
    this.#log.warn("bus publish refused", { topic, reason: why });
  }
}
