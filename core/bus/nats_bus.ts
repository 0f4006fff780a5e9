import type { NodeConnectionOptions } from "@nats-io/transport-node";
import type {
  Msg,
  NatsConnection,
  Subscription as NatsSubscription,
} from "@nats-io/transport-node";
import { Logger } from "../log/mod.ts";
import type {
  Bus,
  BusHandler,
  BusPayload,
  BusStats,
  SubscribeOptions,
  Subscription,
} from "./base.ts";
import { DEFAULT_QUEUE_SIZE } from "./base.ts";
import { SubscriptionQueue } from "./_subscription_queue.ts";
import { assertPattern, topicProblem } from "./_topic_syntax.ts";

/** Default pause between connection attempts. */
export const DEFAULT_RECONNECT_WAIT_MS = 2000;

/** Options for {@linkcode NatsBus}. */
export interface NatsBusOptions {
  /** Client name shown by the server's monitoring (e.g. "decnet-api"). */
  name?: string;
  /** Default queue bound of new subscriptions. @default 1024 */
  queueSize?: number;
  /** Pause between connection attempts, forever. @default 2000 */
  reconnectWaitMs?: number;
  /** Where connection changes and failures are logged. @default a Logger scoped "bus" */
  logger?: Logger;
}

/**
 * The bus over a NATS server (`DECNET_BUS_URL=nats://host:port`). It starts
 * connecting at once and keeps trying forever, also after the server goes
 * away; subscriptions made meanwhile are sent once connected. Publishing
 * while the first connection is not up is refused and counted; while
 * reconnecting, the NATS client buffers messages.
 *
 * @example
 * ```ts
 * await using bus = new NatsBus("nats://127.0.0.1:4222", { name: "decnet-api" });
 * await bus.ready();
 * bus.publish("system.api.health", { worker: "api", status: "ok" });
 * ```
 */
export class NatsBus implements Bus {
  readonly #url: URL;
  readonly #options: Required<Omit<NatsBusOptions, "logger" | "name">> & { name?: string };
  readonly #log: Logger;
  readonly #queues = new Map<SubscriptionQueue, NatsSubscription | null>();
  readonly #ready: Promise<void>;
  #markReady: () => void = () => {};
  #nc: NatsConnection | null = null;
  #connected = false;
  #closed = false;
  #published = 0;
  #publishErrors = 0;
  #closedTotals = { delivered: 0, dropped: 0, failed: 0 };
  #wake: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #loops: Promise<void>[] = [];

  /** @throws {TypeError} when `url` is not nats://host:port or tls://host:port */
  constructor(url: string, options: NatsBusOptions = {}) {
    // The URL may hold a password: errors name only its scheme.
    const shown = `${url.split(":")[0]}:...`;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (e) {
      throw new TypeError(`Cannot open NATS bus: expected nats://host:port, got "${shown}"`, {
        cause: e,
      });
    }
    if (!["nats:", "tls:"].includes(parsed.protocol) || !parsed.hostname) {
      throw new TypeError(`Cannot open NATS bus: expected nats://host:port, got "${shown}"`);
    }
    this.#url = parsed;
    this.#options = {
      name: options.name,
      queueSize: options.queueSize ?? DEFAULT_QUEUE_SIZE,
      reconnectWaitMs: options.reconnectWaitMs ?? DEFAULT_RECONNECT_WAIT_MS,
    };
    this.#log = options.logger ?? new Logger({ scope: "bus" });
    this.#ready = new Promise((resolve) => this.#markReady = resolve);
    this.#loops.push(this.#connectLoop());
  }

  /**
   * Resolves once the first connection is up.
   *
   * @throws the signal's reason when `signal` aborts first
   */
  ready(signal?: AbortSignal): Promise<void> {
    if (!signal) return this.#ready;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#ready.then(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }

  publish(topic: string, payload: BusPayload): void {
    const problem = this.#closed ? "bus is closed" : topicProblem(topic) ??
      (payload === null || typeof payload !== "object" || Array.isArray(payload)
        ? "expected a JSON object payload"
        : undefined);
    if (problem) return this.#refuse(topic, problem);
    if (!this.#nc) return this.#refuse(topic, "not connected yet");
    try {
      this.#nc.publish(topic, JSON.stringify(payload));
      this.#published++;
    } catch (e) {
      this.#refuse(topic, (e as Error).message);
    }
  }

  subscribe(pattern: string, handler: BusHandler, options: SubscribeOptions = {}): Subscription {
    assertPattern(pattern);
    if (this.#closed) throw new TypeError(`Cannot subscribe: bus is closed, got "${pattern}"`);
    const queue = new SubscriptionQueue(pattern, handler, {
      limit: options.queueSize ?? this.#options.queueSize,
      log: this.#log,
    });
    this.#queues.set(queue, null);
    if (this.#nc) this.#attach(this.#nc, queue);
    const close = () => this.#forget(queue);
    return { pattern, unsubscribe: close, close, [Symbol.dispose]: close };
  }

  stats(): BusStats {
    const subscriptions = [...this.#queues.keys()].map((q) => q.stats());
    const sum = (key: "delivered" | "dropped" | "failed") =>
      subscriptions.reduce((n, s) => n + s[key], this.#closedTotals[key]);
    return {
      kind: "nats",
      connected: this.#connected && !this.#closed,
      published: this.#published,
      publishErrors: this.#publishErrors,
      delivered: sum("delivered"),
      dropped: sum("dropped"),
      failed: sum("failed"),
      lost: 0,
      subscriptions,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return await Promise.all(this.#loops).then(() => {});
    this.#closed = true;
    for (const queue of [...this.#queues.keys()]) this.#forget(queue);
    clearTimeout(this.#timer);
    this.#wake?.();
    const nc = this.#nc;
    this.#nc = null;
    if (nc) {
      await nc.close().catch((e) => this.#log.warn("bus close failed", { error: e }));
    }
    await Promise.all(this.#loops);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #connectLoop(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      try {
        // Loaded on first use: the in-process bus never needs the NATS client in memory.
        const { connect } = await import("@nats-io/transport-node");
        const nc = await connect(this.#connectOptions());
        if (this.#closed) {
          await nc.close();
          return;
        }
        this.#nc = nc;
        this.#connected = true;
        this.#log.info("bus connected", { server: this.#url.host });
        for (const queue of this.#queues.keys()) this.#attach(nc, queue);
        this.#loops.push(this.#watchStatus(nc));
        this.#markReady();
        return;
      } catch (e) {
        // Log the first failure at warn, repeats at debug, so a long outage is not a flood.
        if (failures++ === 0) {
          this.#log.warn("bus cannot connect, retrying", {
            server: this.#url.host,
            error: (e as Error).message,
          });
        } else this.#log.debug("bus still cannot connect", { attempts: failures });
        await this.#pause(this.#options.reconnectWaitMs);
      }
    }
  }

  async #watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === "disconnect") {
        this.#connected = false;
        this.#log.warn("bus disconnected", { server: status.server });
      } else if (status.type === "reconnect") {
        this.#connected = true;
        this.#log.info("bus reconnected", { server: status.server });
      } else if (status.type === "close") {
        this.#connected = false;
      }
    }
  }

  #connectOptions(): NodeConnectionOptions {
    const wait = this.#options.reconnectWaitMs;
    return {
      servers: `${this.#url.hostname}:${this.#url.port || "4222"}`,
      name: this.#options.name,
      user: this.#url.username ? decodeURIComponent(this.#url.username) : undefined,
      pass: this.#url.password ? decodeURIComponent(this.#url.password) : undefined,
      tls: this.#url.protocol === "tls:" ? {} : undefined,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: wait,
      reconnectJitter: Math.min(100, wait),
      timeout: Math.max(1000, wait),
    };
  }

  #attach(nc: NatsConnection, queue: SubscriptionQueue): void {
    try {
      const sub = nc.subscribe(queue.pattern, {
        callback: (error: Error | null, msg: Msg) => {
          if (error) return this.#log.warn("bus subscription error", { error: error.message });
          this.#receive(queue, msg);
        },
      });
      this.#queues.set(queue, sub);
    } catch (e) {
      this.#log.warn("bus cannot subscribe", {
        pattern: queue.pattern,
        error: (e as Error).message,
      });
    }
  }

  #receive(queue: SubscriptionQueue, msg: Msg): void {
    let payload: unknown;
    try {
      payload = JSON.parse(msg.string());
    } catch {
      payload = undefined;
    }
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
      this.#log.warn("bus ignored a message that is not a JSON object", { topic: msg.subject });
      return;
    }
    queue.push({ topic: msg.subject, payload: payload as BusPayload });
  }

  #forget(queue: SubscriptionQueue): void {
    if (!this.#queues.has(queue)) return;
    const sub = this.#queues.get(queue);
    this.#queues.delete(queue);
    try {
      sub?.unsubscribe();
    } catch {
      // The connection is already closed; nothing left to cancel.
    }
    const s = queue.stats();
    this.#closedTotals.delivered += s.delivered;
    this.#closedTotals.dropped += s.dropped + s.queued;
    this.#closedTotals.failed += s.failed;
    queue.close();
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }

  #refuse(topic: string, why: string): void {
    this.#publishErrors++;
    this.#log.debug("bus publish refused", { topic, reason: why });
  }
}
