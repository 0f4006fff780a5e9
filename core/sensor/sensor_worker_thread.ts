import { Logger } from "../log/mod.ts";
import { jsonLinesSink } from "./json_lines_sink.ts";
import { SENSOR_REGISTRY } from "./sensor_registry.ts";
import type { SensorPlan } from "./sensor_plan.ts";
import { type SensorServer, serveSensor } from "./serve_sensor.ts";
import type { SensorService } from "./sensor_service.ts";
import { watchSensorControl } from "./watch_sensor_control.ts";

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
  // stderr only: stdout carries nothing but events.
  const log = new Logger({ scope: "sensor", sink: (_level, line) => stderrLine(line) });
  let server: SensorServer | undefined;
  const control = new AbortController();
  const trustedKeys = new Set<string>();
  let watching: Promise<void> | undefined;
  scope.onmessage = async (event) => {
    const message = event.data;
    if (message.type === "stop") {
      control.abort();
      await watching;
      await server?.close();
      scope.postMessage({ type: "stopped" });
      return;
    }
    try {
      server = serveSensor({
        decky: message.plan.decky,
        services: message.plan.services.map((s) => ({
          service: registry[s.name]!,
          options: s.options,
        })),
        sink: jsonLinesSink(Deno.stdout),
        trustedKeys,
        onError: (service, error) => log.warn("connection failed", { service, error }),
      });
      const running = server;
      const controlDir = message.plan.controlDir;
      if (controlDir) {
        watching = watchSensorControl(controlDir, {
          kill: (session) => {
            const found = running.killSession(session);
            log.info("session kill requested", { session, found });
          },
          trust: (sha256) => trustedKeys.add(sha256),
        }, { signal: control.signal }).catch((error) =>
          log.error("control folder unreadable", { dir: controlDir, error })
        );
      }
      scope.postMessage({ type: "started", ports: Object.fromEntries(server.ports) });
    } catch (e) {
      scope.postMessage({ type: "failed", error: e instanceof Error ? e.message : String(e) });
    }
  };
}

const encoder = new TextEncoder();

function stderrLine(line: string): void {
  const bytes = encoder.encode(line + "\n");
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}
