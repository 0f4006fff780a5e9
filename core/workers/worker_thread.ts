import { MemoryBus, openBus } from "../bus/mod.ts";
import type { Bus } from "../bus/mod.ts";
import type { Config } from "../config/mod.ts";
import { ConfigError } from "../config/config_error.ts";
import { Logger } from "../log/mod.ts";
import type { FromWorkerMessage, ToWorkerMessage } from "./_messages.ts";
import type { WorkerDefinition } from "./worker_definition.ts";
import type { WorkerRegistry } from "./worker_registry.ts";
import { runWorker } from "./worker_runtime.ts";
export { isWorkerThread, WORKER_NAME_PREFIX } from "./worker_thread_name.ts";
import type { RunningWorker } from "./worker_runtime.ts";
import { reduceHeap } from "./reduce_heap.ts";

/**
 * The body of a Deno Worker spawned by the supervisor: waits for `start`,
 * runs the named worker with heartbeat and control, and stops on `stop`
 * (from the supervisor, or over the bus), reporting back each step.
 *
 * @param jobs the worker this thread runs, or a registry to look the named one up in
 * @example
 * ```ts
 * import { runWorkerThread } from "./worker_thread.ts";
 * import { canaryWorker } from "../../canary/canary_worker.ts";
 * runWorkerThread(canaryWorker);
 * ```
 */
export function runWorkerThread(jobs: WorkerRegistry | WorkerDefinition): void {
  const lookUp = (name: string) =>
    "register" in jobs ? jobs.get(name) : jobs.name === name ? jobs : undefined;
  const scope = globalThis as unknown as {
    onmessage: ((e: MessageEvent<ToWorkerMessage>) => void) | null;
    postMessage(message: FromWorkerMessage): void;
    close(): void;
  };
  let running: RunningWorker | undefined;
  let bus: Bus | undefined;
  let stopping: Promise<void> | undefined;
  let log: Logger | undefined;

  const stop = () =>
    stopping ??= (async () => {
      try {
        await running?.close();
      } finally {
        await bus?.close();
        scope.postMessage({ type: "stopped" });
      }
    })();

  scope.onmessage = async (event) => {
    const message = event.data;
    if (message.type === "stop") {
      await stop();
      return;
    }
    if (message.type === "reduce-memory") {
      const before = Deno.memoryUsage().heapTotal;
      if (reduceHeap()) {
        log?.debug("heap reduced", {
          heap_bytes_before: before,
          heap_bytes_after: Deno.memoryUsage().heapTotal,
        });
      }
      return;
    }
    const definition = lookUp(message.name);
    log = new Logger({ level: message.logLevel, scope: message.name });
    try {
      if (!definition) throw new Error(`Unknown worker "${message.name}"`);
      bus = message.busPort ? new MemoryBus({ port: message.busPort, broadcast: false }) : openBus({
        busUrl: message.busUrl,
        name: message.name,
        channel: message.busChannel,
      });
      // The supervisor posted exactly the definition's configKeys (scopedConfig), which is all
      // its start() reads; runWorker copies those keys again, so nothing else is handed on.
      running = await runWorker(definition, message.config as Config, {
        bus,
        log,
        restarts: message.restarts,
        lastError: message.lastError,
        peers: message.peers,
        onStopRequested: () => void stop(),
      });
      scope.postMessage({ type: "started", banner: running.handle.banner ?? [] });
    } catch (e) {
      await bus?.close();
      scope.postMessage({
        type: "failed",
        error: e instanceof Error ? e.message : String(e),
        ...(e instanceof ConfigError ? { configIssues: [...e.issues] } : {}),
      });
    }
  };
}
