import type { Logger } from "../log/mod.ts";
import type { Bus } from "./base.ts";
import { DEFAULT_BUS_CHANNEL, MemoryBus } from "./memory_bus.ts";
import { NatsBus } from "./nats_bus.ts";

/** Options for {@linkcode openBus}. */
export interface OpenBusOptions {
  /** `DECNET_BUS_URL`: null/undefined/"" for the in-process bus, nats://host:port for NATS. */
  busUrl?: string | null;
  /**
   * Who is connecting (e.g. "api"): the NATS client name. In-process buses
   * ignore it so that every worker of one process shares the same channel.
   */
  name?: string;
  /** In-process channel name (tests use a unique one). @default "decnet" */
  channel?: string;
  /**
   * In-process bus: also reach other threads through a BroadcastChannel. Off
   * where nothing else listens (a standalone worker, or a supervisor that links
   * its Workers by MessagePort): a BroadcastChannel post is costly and drops bursts.
   * @default true
   */
  broadcast?: boolean;
  /** Default queue bound of subscriptions. @default 1024 */
  queueSize?: number;
  /** NATS: pause between connection attempts. @default 2000 */
  reconnectWaitMs?: number;
  logger?: Logger;
}

/**
 * Picks the bus from configuration: {@linkcode MemoryBus} when no URL is
 * set, {@linkcode NatsBus} for nats:// or tls:// URLs. Never waits for a
 * NATS server: the bus connects (and reconnects) in the background.
 *
 * @throws {TypeError} when `busUrl` has another scheme
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * declare const config: Config;
 * await using bus = openBus({ busUrl: config.busUrl, name: "canary" });
 * ```
 */
export function openBus(options: OpenBusOptions = {}): Bus {
  const { busUrl, logger, queueSize } = options;
  if (!busUrl) {
    return new MemoryBus({
      channel: options.channel ?? DEFAULT_BUS_CHANNEL,
      broadcast: options.broadcast,
      logger,
      queueSize,
    });
  }
  if (/^(nats|tls):\/\//.test(busUrl)) {
    return new NatsBus(busUrl, {
      name: options.name ? `decnet-${options.name}` : undefined,
      logger,
      queueSize,
      reconnectWaitMs: options.reconnectWaitMs,
    });
  }
  // The URL may hold a password: name only its scheme.
  const scheme = busUrl.split(":")[0];
  throw new TypeError(`Cannot open bus: expected nats://host:port or no URL, got "${scheme}:..."`);
}
