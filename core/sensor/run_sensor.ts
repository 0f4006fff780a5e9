import { processIsSandboxed } from "./process_is_sandboxed.ts";
import { type SensorPermissions, sensorPermissions } from "./sensor_permissions.ts";
import type { SensorPlan } from "./sensor_plan.ts";
import type { SensorService } from "./sensor_service.ts";
import { startSensorServices } from "./start_sensor_services.ts";
import {
  type FromSensorMessage,
  SENSOR_WORKER_NAME,
  type ToSensorMessage,
} from "./sensor_worker_thread.ts";

/** Options for {@linkcode runSensor}. */
export interface RunSensorOptions {
  /** The module the Worker runs: the program's own entry (`Deno.mainModule`). */
  entryUrl: string;
  /**
   * decnet's own code, which the Worker may also read: the modules it imports
   * lazily are loaded from there when imported. In-process it reads what
   * the process may. @default []
   */
  codePaths?: string[];
  registry: Readonly<Partial<Record<string, SensorService>>>;
  /** Called once every service listens, with the port of each. */
  onStarted?: (ports: Record<string, number>) => void;
  /** Stops the sensor (SIGTERM/SIGINT in the CLI). */
  signal: AbortSignal;
}

/**
 * Runs a sensor's services in a Deno Worker holding only
 * {@linkcode sensorPermissions} (listen on its ports, read its module and
 * the mail spool), whatever the calling process may do; resolves when
 * `signal` aborts and the Worker has closed every connection. When the
 * process's own flags already sandbox it ({@linkcode processIsSandboxed}:
 * the sensor image's entrypoint), the services run in this thread instead,
 * which saves the Worker's isolate and its second copy of the code.
 *
 * @param plan What to serve.
 * @param options Entry module, registry, start callback and stop signal.
 * @throws {Error} when a service cannot listen (the Worker's message)
 * @example
 * ```ts
 * import { SENSOR_REGISTRY } from "./sensor_registry.ts";
 * const stop = new AbortController();
 * await runSensor({ decky: "ws-01", services: [{ name: "ftp", options: {} }] }, {
 *   entryUrl: Deno.mainModule, registry: SENSOR_REGISTRY, signal: stop.signal,
 * });
 * ```
 */
export async function runSensor(plan: SensorPlan, options: RunSensorOptions): Promise<void> {
  const modulePath = options.entryUrl.startsWith("file:")
    ? decodeURIComponent(new URL(options.entryUrl).pathname)
    : null;
  const permissions = sensorPermissions(plan, { registry: options.registry, modulePath });
  if (processIsSandboxed()) return await runInProcess(plan, permissions, options);
  const worker = new Worker(options.entryUrl, {
    type: "module",
    name: SENSOR_WORKER_NAME,
    deno: {
      permissions: { ...permissions, read: [...permissions.read, ...options.codePaths ?? []] },
    },
  } as WorkerOptions);
  const post = (m: ToSensorMessage) => worker.postMessage(m);
  try {
    const stopped = Promise.withResolvers<void>();
    const started = Promise.withResolvers<void>();
    // Rejected together with `started` when the start fails; awaited below otherwise.
    stopped.promise.catch(() => {});
    worker.onmessage = (e: MessageEvent<FromSensorMessage>) => {
      const m = e.data;
      if (m.type === "started") {
        options.onStarted?.(m.ports);
        started.resolve();
      } else if (m.type === "failed") {
        const error = new Error(`Cannot start sensor: ${m.error}`);
        started.reject(error);
        stopped.reject(error);
      } else stopped.resolve();
    };
    worker.onerror = (e) => {
      e.preventDefault();
      const error = new Error(`Sensor worker failed: ${e.message}`);
      started.reject(error);
      stopped.reject(error);
    };
    post({ type: "start", plan });
    await started.promise;
    if (!options.signal.aborted) {
      await new Promise<void>((resolve, reject) => {
        options.signal.addEventListener("abort", () => resolve(), { once: true });
        stopped.promise.then(resolve, reject);
      });
    }
    post({ type: "stop" });
    await stopped.promise;
  } finally {
    worker.terminate();
  }
}

async function runInProcess(
  plan: SensorPlan,
  permissions: SensorPermissions,
  options: RunSensorOptions,
): Promise<void> {
  // What the Worker would have been given must be this process's already.
  for (const [name, list] of [["net", permissions.net], ["read", permissions.read]] as const) {
    for (const entry of list) {
      const descriptor = name === "net" ? { name, host: entry } : { name, path: entry };
      if (Deno.permissions.querySync(descriptor).state !== "granted") {
        throw new Error(`Cannot start sensor: ${name} access to ${entry} is not granted to it`);
      }
    }
  }
  let services;
  try {
    services = startSensorServices(plan, options.registry);
  } catch (e) {
    throw new Error(`Cannot start sensor: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    options.onStarted?.(services.ports);
    if (!options.signal.aborted) {
      await new Promise((resolve) =>
        options.signal.addEventListener("abort", resolve, { once: true })
      );
    }
  } finally {
    await services.close();
  }
}
