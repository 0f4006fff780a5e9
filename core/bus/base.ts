/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** What travels on the bus: a JSON-safe object with snake_case fields. */
export type BusPayload = { [key: string]: JsonValue };

/** One delivered message. */
export interface BusMessage {
  /** The concrete topic it was published on (never a pattern). */
  topic: string;
  /** Parsed payload; each delivery gets its own copy. */
  payload: BusPayload;
}

/** Receives messages; a thrown error or rejected promise is logged and counted, never rethrown. */
export type BusHandler = (message: BusMessage) => void | Promise<void>;

/** Default bound of a subscription's queue of undelivered messages. */
export const DEFAULT_QUEUE_SIZE = 1024;

/** Options for {@linkcode Bus.subscribe}. */
export interface SubscribeOptions {
  /**
   * Undelivered messages kept while the handler is busy; when full the
   * oldest is dropped (and counted) so a slow subscriber never blocks publishers.
   * @default 1024
   */
  queueSize?: number;
}

/** A live subscription; `unsubscribe()` and `close()` are the same and idempotent. */
export interface Subscription extends Disposable {
  readonly pattern: string;
  unsubscribe(): void;
  close(): void;
}

/** Counters of one subscription. */
export interface SubscriptionStats {
  pattern: string;
  /** Messages handed to the handler. */
  delivered: number;
  /** Messages dropped because the queue was full. */
  dropped: number;
  /** Handler calls that threw or rejected. */
  failed: number;
  /** Messages waiting in the queue now. */
  queued: number;
}

/** Counters of a bus, for health reports. */
export interface BusStats {
  /** Which implementation: "memory" or "nats". */
  kind: string;
  /** Whether messages can leave this process now (always true for an open MemoryBus). */
  connected: boolean;
  /** Publishes accepted. */
  published: number;
  /** Publishes refused (bad topic, payload not JSON-safe, bus closed, connection error). */
  publishErrors: number;
  /** Totals over live and closed subscriptions. */
  delivered: number;
  dropped: number;
  failed: number;
  /** Messages the transport lost before they reached this bus, when it can tell (else 0). */
  lost: number;
  /** Live subscriptions. */
  subscriptions: SubscriptionStats[];
}

/** One end of a {@linkcode Bus.linkWorker} link: the port for the Worker, and how to unlink it. */
export interface BusLink {
  port: MessagePort;
  unlink(): void;
}

/**
 * Best-effort notification between workers (the database is the source of
 * truth). Topics are dot-separated tokens; patterns use `*` for one token
 * and a final `>` for one or more remaining tokens, as in NATS.
 */
export interface Bus extends AsyncDisposable {
  /**
   * Sends `payload` to every subscriber whose pattern matches `topic`.
   * Never throws and never waits for subscribers: failures are logged and
   * counted in {@linkcode BusStats.publishErrors}.
   */
  publish(topic: string, payload: BusPayload): void;
  /**
   * Calls `handler` for each message matching `pattern`, one at a time and
   * in publish order.
   *
   * @throws {TypeError} when the pattern is not a valid topic pattern
   */
  subscribe(pattern: string, handler: BusHandler, options?: SubscribeOptions): Subscription;
  /** Current counters. */
  stats(): BusStats;
  /**
   * Links a Deno Worker to this bus through a MessagePort: present only on a
   * bus that lives in this process (MemoryBus); without it, Workers open the
   * bus themselves (NATS). Give `port` to the Worker; `unlink()` when it is gone.
   */
  linkWorker?(): BusLink;
  /** Ends every subscription and releases the transport; idempotent. */
  close(): Promise<void>;
}
