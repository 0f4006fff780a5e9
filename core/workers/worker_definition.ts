import type { Bus } from "../bus/mod.ts";
import type { Config } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";

/** What a worker touches; turned into Deno Worker permissions by `workerPermissions`. */
export interface WorkerNeeds {
  /**
   * host:port pairs it listens on (port 0 allowed). `anyPeer`: it also answers
   * datagrams to any address (UDP replies are checked as net access to the peer).
   */
  listen: { hostname: string; port: number; anyPeer?: boolean }[];
  /** Hosts it connects to besides the database, e.g. an LLM server. */
  connect: string[];
  /** Whether it opens the database. */
  database: boolean;
  /** Whether it reaches the Docker daemon. */
  docker: boolean;
  /** Paths under DECNET_HOME it reads. */
  read: string[];
  /** Paths under DECNET_HOME it writes. */
  write: string[];
}

/** What a running worker hands back. */
export interface WorkerHandle {
  /** Stops gracefully, letting in-flight writes complete. */
  close(): Promise<void>;
  /** Worker-specific figures for the heartbeat (e.g. ticks, listener ports). */
  extras?(): Record<string, string | number | boolean | null>;
  /** Lines to print once it started (e.g. where it listens). */
  banner?: string[];
}

/** Dependencies a worker's start function receives. */
export interface WorkerContext {
  log: Logger;
  bus: Bus;
  /** Names of the workers running alongside (for health and the workers route). */
  peers: string[];
}

/**
 * A long-running job of decnet. The same `start` runs as a Deno Worker
 * under `decnet up` and in the main thread as a standalone subcommand.
 */
export interface WorkerDefinition {
  name: string;
  description: string;
  /** A critical worker that keeps crashing stops `decnet up`; others restart forever. */
  critical: boolean;
  needs(config: Config): WorkerNeeds;
  start(config: Config, context: WorkerContext): Promise<WorkerHandle>;
}

/** Needs of a worker that touches nothing but the database. */
export function databaseOnlyNeeds(): WorkerNeeds {
  return { listen: [], connect: [], database: true, docker: false, read: [], write: [] };
}
