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
 * `K` names the configuration fields `start` receives: under `decnet up`
 * only those are posted to the worker's thread, so a secret (the JWT
 * secret, the database URL, the admin password, the LLM key) reaches a
 * worker only when it lists it. Build one with {@linkcode defineWorker} so
 * `K` is inferred from `configKeys`.
 */
export interface WorkerDefinition<K extends keyof Config = keyof Config> {
  name: string;
  description: string;
  /** A critical worker that keeps crashing stops `decnet up`; others restart forever. */
  critical: boolean;
  /** The configuration fields `start` receives (and nothing else). */
  configKeys: readonly K[];
  /** Runs in the supervisor, which holds the whole configuration. */
  needs(config: Config): WorkerNeeds;
  /**
   * Needs that also depend on stored settings (the alerts worker's
   * destinations), read by the supervisor before each spawn; when they
   * cannot be read, the last ones read (or `needs`) stand.
   */
  resolveNeeds?(config: Config, needs: WorkerNeeds): Promise<WorkerNeeds>;
  /** A bus topic after which the supervisor resolves the needs again and re-spawns the worker if they changed. */
  respawnOn?: string;
  start(config: Pick<Config, K>, context: WorkerContext): Promise<WorkerHandle>;
}

/**
 * Types a worker definition, inferring its configuration fields from
 * `configKeys` so that `start` can read those and no other.
 *
 * @param definition the worker
 * @returns the same definition
 * @example
 * ```ts
 * export const pingWorker = defineWorker({
 *   name: "ping",
 *   description: "says hello",
 *   critical: false,
 *   configKeys: ["logLevel"],
 *   needs: databaseOnlyNeeds,
 *   start: (config, { log }) => {
 *     log.info("hello", { level: config.logLevel });
 *     return Promise.resolve({ close: () => Promise.resolve() });
 *   },
 * });
 * ```
 */
export function defineWorker<const K extends keyof Config>(
  definition: WorkerDefinition<K>,
): WorkerDefinition<K> {
  return definition;
}

/**
 * The part of `config` that `definition` declared, copied and frozen: what
 * is posted to its thread under `decnet up` and what a standalone run hands
 * to `start`.
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import { scopedConfig } from "./worker_definition.ts";
 * import { canaryWorker } from "../../canary/canary_worker.ts";
 * declare const config: Config;
 * declare const worker: Worker;
 * worker.postMessage({ type: "start", config: scopedConfig(canaryWorker, config) });
 * ```
 */
export function scopedConfig<K extends keyof Config>(
  definition: Pick<WorkerDefinition<K>, "configKeys">,
  config: Pick<Config, K>,
): Pick<Config, K> {
  const scoped: Partial<Pick<Config, K>> = {};
  for (const key of definition.configKeys) scoped[key] = config[key];
  return Object.freeze(scoped as Pick<Config, K>);
}

/** Needs of a worker that touches nothing but the database. */
export function databaseOnlyNeeds(): WorkerNeeds {
  return { listen: [], connect: [], database: true, docker: false, read: [], write: [] };
}
