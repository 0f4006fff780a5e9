import type { Bus, HealthPayload, Subscription } from "../bus/mod.ts";
import { type BusLink, DEFAULT_BUS_CHANNEL, healthTopic, TOPIC_PATTERNS } from "../bus/mod.ts";
import type { Config } from "../config/mod.ts";
import { ConfigError } from "../config/config_error.ts";
import type { Logger } from "../log/mod.ts";
import type { FromWorkerMessage, ToWorkerMessage } from "./_messages.ts";
import { MallocTrimmer } from "./malloc_trimmer.ts";
import { reduceHeap } from "./reduce_heap.ts";
import { restartDelayMs } from "./restart_backoff.ts";
import { scopedConfig } from "./worker_definition.ts";
import type { WorkerRegistry } from "./worker_registry.ts";
import { workerPermissions } from "./worker_permissions.ts";
import type { WorkerPermissions } from "./worker_permissions.ts";
import type { WorkerNeeds } from "./worker_definition.ts";
import { WORKER_NAME_PREFIX } from "./worker_thread_name.ts";

/** Where a supervised worker is in its life. */
export type SupervisedState = "starting" | "running" | "backoff" | "stopping" | "stopped";

/** One worker as the supervisor sees it. */
export interface SupervisedWorker {
  name: string;
  state: SupervisedState;
  restarts: number;
  lastError: string | null;
}

/** Options for {@linkcode Supervisor}. */
export interface SupervisorOptions {
  config: Config;
  registry: WorkerRegistry;
  /**
   * The module a worker runs: one for all (decnet's entry, which branches on the
   * worker name) or each worker's own (what it reaches is all its isolate loads).
   */
  entryUrl: string | ((worker: string) => string);
  /**
   * decnet's own code, which every worker may read: the modules it imports
   * lazily are loaded from there when imported. @default []
   */
  codePaths?: string[];
  /** Workers to run, in order. */
  enabled: string[];
  bus: Bus;
  /** The in-process bus channel `bus` uses, handed to every worker. @default "decnet" */
  busChannel?: string;
  log: Logger;
  random?: () => number;
  /** Grace period for a worker to stop before it is terminated. @default 10000 */
  stopTimeoutMs?: number;
  /** Running this long resets the backoff. @default 60000 */
  stableAfterMs?: number;
  /** Backoff bounds. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Receives lines a worker asks to print once started. */
  onBanner?: (worker: string, lines: string[]) => void;
}

interface Slot {
  name: string;
  state: SupervisedState;
  restarts: number;
  consecutiveFailures: number;
  lastError: string | null;
  worker?: Worker;
  busLink?: BusLink;
  startedAt?: number;
  timer?: ReturnType<typeof setTimeout>;
  stopped?: () => void;
  /** What the worker may do, as last resolved (see `WorkerDefinition.resolveNeeds`). */
  needs?: WorkerNeeds;
  /** The permissions it was spawned with, to tell whether a re-resolve changed them. */
  permissions?: string;
  respawning?: Promise<void>;
  /** When it last crashed (ISO 8601): the time its `failing` health carries, also when re-announced. */
  failedAt?: string;
}

/**
 * Runs each enabled worker as a Deno Worker holding only the permissions its
 * job needs; restarts crashed ones with capped exponential backoff
 * (published on `system.<w>.health`); obeys `system.<w>.control`
 * start/stop; stops everything within a bounded time on close.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Config } from "../config/config.ts";
 * import type { Logger } from "../log/logger.ts";
 * import { Supervisor } from "./supervisor.ts";
 * import type { WorkerRegistry } from "./worker_registry.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const log: Logger;
 * declare const registry: WorkerRegistry;
 * declare function waitForShutdown(): Promise<void>;
 * const enabled = ["api", "canary"];
 * const supervisor = new Supervisor({ config, registry, entryUrl: import.meta.url, enabled, bus, log });
 * await supervisor.start();
 * await waitForShutdown();
 * await supervisor.close();
 * ```
 */
export class Supervisor implements AsyncDisposable {
  readonly #options: SupervisorOptions;
  readonly #slots = new Map<string, Slot>();
  readonly #random: () => number;
  #control?: Subscription;
  #respawnOn: Subscription[] = [];
  #closing = false;
  /** The isolates' heaps shrink and native memory goes back to the kernel when quiet (#20). */
  #trimmer?: MallocTrimmer;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    for (const name of options.enabled) {
      if (!options.registry.get(name)) {
        throw new TypeError(`Cannot supervise unknown worker "${name}"`);
      }
      this.#slots.set(name, {
        name,
        state: "stopped",
        restarts: 0,
        consecutiveFailures: 0,
        lastError: null,
      });
    }
  }

  /**
   * Spawns every enabled worker and waits until each has started.
   *
   * @throws {Error} when a critical worker fails its first start (e.g. its port is taken)
   */
  async start(): Promise<void> {
    this.#trimmer ??= new MallocTrimmer({
      log: this.#options.log,
      reduceHeaps: () => {
        reduceHeap();
        for (const slot of this.#slots.values()) {
          if (slot.state === "running") {
            slot.worker?.postMessage({ type: "reduce-memory" } satisfies ToWorkerMessage);
          }
        }
      },
    });
    this.#control = this.#options.bus.subscribe(TOPIC_PATTERNS.control, ({ topic, payload }) => {
      const name = topic.split(".")[1];
      if (!this.#slots.has(name)) return;
      if (payload.action === "start") this.startWorker(name);
      // A restarting worker cannot answer a report request itself (a listener that just started,
      // such as the alerts worker, must still learn that it is failing).
      if (payload.action === "report" && this.#slots.get(name)!.state === "backoff") {
        this.#publishState(this.#slots.get(name)!);
      }
      // "stop" is obeyed by the worker itself; the supervisor learns of it from "stopped".
    });
    for (const name of this.#slots.keys()) {
      const topic = this.#options.registry.get(name)!.respawnOn;
      if (topic) {
        this.#respawnOn.push(
          this.#options.bus.subscribe(topic, () => this.#respawnIfNeedsChanged(name)),
        );
      }
    }
    const results = await Promise.all(
      [...this.#slots.keys()].map((name) =>
        this.#spawn(name).then(() => null, (e: Error) => [name, e] as const)
      ),
    );
    for (const failure of results) {
      if (!failure) continue;
      const [name, error] = failure;
      if (this.#options.registry.get(name)!.critical) {
        // Bad configuration stays what it is, so the CLI exits 2 naming the variable.
        if (error instanceof ConfigError) throw error;
        throw new Error(`Cannot start worker ${name}: ${error.message}`, { cause: error });
      }
    }
  }

  /** The supervised workers and their states. */
  status(): SupervisedWorker[] {
    return [...this.#slots.values()].map((s) => ({
      name: s.name,
      state: s.state,
      restarts: s.restarts,
      lastError: s.lastError,
    }));
  }

  /** Starts a stopped worker (a no-op when it is running or about to). */
  startWorker(name: string): void {
    const slot = this.#slots.get(name);
    if (!slot || this.#closing || slot.state !== "stopped") return;
    slot.consecutiveFailures = 0;
    this.#spawn(name).catch(() => {});
  }

  /** Stops one worker gracefully; it stays stopped until started again. */
  async stopWorker(name: string): Promise<void> {
    const slot = this.#slots.get(name);
    if (!slot) return;
    clearTimeout(slot.timer);
    if (slot.state === "backoff") {
      slot.state = "stopped";
      return;
    }
    if (!slot.worker || slot.state === "stopped") return;
    slot.state = "stopping";
    const worker = slot.worker;
    const stopped = new Promise<void>((resolve) => slot.stopped = resolve);
    worker.postMessage({ type: "stop" } satisfies ToWorkerMessage);
    const timeout = this.#options.stopTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      stopped.then(() => false),
      new Promise<boolean>((r) => timer = setTimeout(() => r(true), timeout)),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.#options.log.warn("worker did not stop in time; terminating", { worker: name });
    }
    this.#terminate(slot);
    slot.state = "stopped";
    this.#publishState(slot);
  }

  /** Stops every worker (in reverse start order, each bounded by the stop timeout). */
  async close(): Promise<void> {
    this.#closing = true;
    this.#control?.unsubscribe();
    for (const s of this.#respawnOn) s.unsubscribe();
    await Promise.all([...this.#slots.keys()].reverse().map((name) => this.stopWorker(name)));
    this.#trimmer?.[Symbol.dispose]();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The worker's needs now: resolved from stored settings when it has them, else the last known. */
  async #needs(name: string): Promise<WorkerNeeds> {
    const slot = this.#slots.get(name)!;
    const { config, registry, log } = this.#options;
    const definition = registry.get(name)!;
    const needs = definition.needs(config);
    if (!definition.resolveNeeds) return needs;
    try {
      slot.needs = await definition.resolveNeeds(config, needs);
    } catch (e) {
      log.warn("cannot resolve worker needs; using the last known", {
        worker: name,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    return slot.needs ?? needs;
  }

  #entryOf(name: string): string {
    const { entryUrl } = this.#options;
    return typeof entryUrl === "string" ? entryUrl : entryUrl(name);
  }

  #permissionsOf(name: string, needs: WorkerNeeds): WorkerPermissions {
    const entryUrl = this.#entryOf(name);
    const modulePath = entryUrl.startsWith("file:") ? new URL(entryUrl).pathname : null;
    const { config, codePaths } = this.#options;
    return workerPermissions(config, needs, { modulePath, codePaths });
  }

  /** Re-spawns a running worker whose resolved permissions changed (its alert channels did). */
  #respawnIfNeedsChanged(name: string): void {
    const slot = this.#slots.get(name)!;
    const previous = slot.respawning ?? Promise.resolve();
    slot.respawning = previous.then(async () => {
      const permissions = JSON.stringify(this.#permissionsOf(name, await this.#needs(name)));
      if (this.#closing || slot.state !== "running" || permissions === slot.permissions) return;
      this.#options.log.info("worker permissions changed; re-spawning", { worker: name });
      await this.stopWorker(name);
      this.startWorker(name);
    }).catch((e) =>
      this.#options.log.error("cannot re-spawn worker", { worker: name, error: String(e) })
    );
  }

  async #spawn(name: string): Promise<void> {
    const slot = this.#slots.get(name)!;
    const { config, registry, log } = this.#options;
    const definition = registry.get(name)!;
    slot.state = "starting";
    const permissions = this.#permissionsOf(name, await this.#needs(name));
    if (this.#closing) {
      slot.state = "stopped";
      return;
    }
    slot.permissions = JSON.stringify(permissions);
    log.debug("spawning worker", { worker: name, permissions });
    const worker = new Worker(this.#entryOf(name), {
      type: "module",
      name: `${WORKER_NAME_PREFIX}${name}`,
      deno: { permissions },
    } as WorkerOptions);
    slot.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      worker.onmessage = (event: MessageEvent<FromWorkerMessage>) => {
        const message = event.data;
        if (message.type === "started") {
          slot.state = "running";
          slot.startedAt = Date.now();
          log.info("worker started", { worker: name, restarts: slot.restarts });
          if (message.banner.length) this.#options.onBanner?.(name, message.banner);
          settle();
        } else if (message.type === "failed") {
          this.#crashed(slot, worker, message.error);
          settle(
            message.configIssues ? new ConfigError(message.configIssues) : new Error(message.error),
          );
        } else if (message.type === "stopped") {
          if (slot.stopped) slot.stopped();
          else if (slot.state === "running") {
            // Stopped on its own (control message over the bus): leave it stopped.
            this.#terminate(slot);
            slot.state = "stopped";
            log.info("worker stopped on request", { worker: name });
            this.#publishState(slot);
          }
          slot.stopped = undefined;
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        const error = event.message || "uncaught error";
        this.#crashed(slot, worker, error);
        settle(new Error(error));
      };
      // In-process bus: a MessagePort per Worker, because BroadcastChannel drops bursts.
      slot.busLink = this.#options.bus.linkWorker?.();
      const busPort = slot.busLink?.port;
      const start: ToWorkerMessage = {
        type: "start",
        name,
        // Only what the worker declared: a secret reaches only a worker that lists it.
        config: scopedConfig(definition, config),
        logLevel: config.logLevel,
        busUrl: busPort ? null : config.busUrl,
        restarts: slot.restarts,
        lastError: slot.lastError,
        peers: [...this.#slots.keys()],
        busChannel: this.#options.busChannel ?? DEFAULT_BUS_CHANNEL,
        busPort,
      };
      worker.postMessage(start, busPort ? [busPort] : []);
    });
  }

  #terminate(slot: Slot): void {
    slot.worker?.terminate();
    slot.worker = undefined;
    slot.busLink?.unlink();
    slot.busLink = undefined;
  }

  #crashed(slot: Slot, worker: Worker, error: string): void {
    if (slot.worker !== worker) return;
    this.#terminate(slot);
    slot.lastError = error;
    if (this.#closing || slot.state === "stopping") {
      slot.state = "stopped";
      slot.stopped?.();
      return;
    }
    // Only the run that just ended counts: a worker that once ran for hours and now fails at
    // every start (its database is down) must back off, not retry every second.
    const stableAfter = this.#options.stableAfterMs ?? 60_000;
    if (slot.startedAt !== undefined && Date.now() - slot.startedAt >= stableAfter) {
      slot.consecutiveFailures = 0;
    }
    slot.startedAt = undefined;
    slot.consecutiveFailures++;
    slot.restarts++;
    slot.state = "backoff";
    slot.failedAt = new Date().toISOString();
    const delay = restartDelayMs(slot.consecutiveFailures, this.#random, this.#options.backoff);
    this.#options.log.error("worker crashed; restarting", {
      worker: slot.name,
      error,
      restarts: slot.restarts,
      delay_ms: delay,
    });
    this.#publishState(slot, { restart_delay_ms: delay });
    slot.timer = setTimeout(() => {
      if (slot.state !== "backoff" || this.#closing) return;
      this.#spawn(slot.name).catch(() => {});
    }, delay);
  }

  #publishState(slot: Slot, details: Record<string, number> = {}): void {
    const payload: HealthPayload = {
      worker: slot.name,
      status: slot.state === "backoff" ? "failing" : "degraded",
      state: slot.state === "backoff" ? "restarting" : slot.state,
      at: (slot.state === "backoff" ? slot.failedAt : undefined) ?? new Date().toISOString(),
      uptime_seconds: 0,
      restarts: slot.restarts,
      last_error: slot.lastError,
      details,
    };
    this.#options.bus.publish(healthTopic(slot.name), payload);
  }
}
