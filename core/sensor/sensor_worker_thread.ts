import { SENSOR_REGISTRY } from "./sensor_registry.ts";
import type { SensorPlan } from "./sensor_plan.ts";
import type { SensorService } from "./sensor_service.ts";
import { type SensorServices, startSensorServices } from "./start_sensor_services.ts";

/** Name of the Deno Worker a sensor's services run in (checked by the entry before any import). */
export const SENSOR_WORKER_NAME = "sensor";

/** Parent -> sensor worker. */
export type ToSensorMessage = { type: "start"; plan: SensorPlan } | { type: "stop" };

/** Sensor worker -> parent. */
export type FromSensorMessage =
  | { type: "started"; ports: Record<string, number> }
  | { type: "failed"; error: string }
  | { type: "stopped" };

/** Options for {@linkcode runSensorWorkerThread}. */
export interface RunSensorWorkerThreadOptions {
  /** @default SENSOR_REGISTRY */
  registry?: Readonly<Partial<Record<string, SensorService>>>;
}

/**
 * The body of the sensor's Worker: on `start`, serves the plan's services
 * with events as JSON lines on stdout and errors on stderr; on `stop`,
 * closes listeners and connections and reports `stopped`.
 *
 * @param options The registry to serve from.
 * @example
 * ```ts
 * // in the entry module, when self.name === SENSOR_WORKER_NAME
 * runSensorWorkerThread();
 * ```
 */
export function runSensorWorkerThread(options: RunSensorWorkerThreadOptions = {}): void {
  const registry = options.registry ?? SENSOR_REGISTRY;
  const scope = globalThis as unknown as {
    onmessage: ((e: MessageEvent<ToSensorMessage>) => void) | null;
    postMessage(message: FromSensorMessage): void;
  };
  let services: SensorServices | undefined;
  scope.onmessage = async (event) => {
    const message = event.data;
    if (message.type === "stop") {
      await services?.close();
      scope.postMessage({ type: "stopped" });
      return;
    }
    try {
      services = startSensorServices(message.plan, registry);
      scope.postMessage({ type: "started", ports: services.ports });
    } catch (e) {
      scope.postMessage({ type: "failed", error: e instanceof Error ? e.message : String(e) });
    }
  };
}
