import { Logger } from "../log/mod.ts";
import { jsonLinesSink } from "./json_lines_sink.ts";
import type { SensorPlan } from "./sensor_plan.ts";
import type { SensorService } from "./sensor_service.ts";
import { serveSensor } from "./serve_sensor.ts";
import { watchSensorControl } from "./watch_sensor_control.ts";

/** A sensor's running services: their ports, and close() for listeners, connections and control. */
export interface SensorServices {
  readonly ports: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Serves a plan's services in this thread, wherever it runs (the sensor's
 * Worker, or the sensor process itself when its own flags sandbox it):
 * events as JSON lines on stdout, logs on stderr, and the control folder
 * watched for session kills and trusted keys.
 *
 * @param plan What to serve.
 * @param registry The services this build offers.
 * @returns The ports and a close().
 * @throws {Error} when a service cannot listen
 * @example
 * ```ts
 * import { SENSOR_REGISTRY } from "./sensor_registry.ts";
 * const services = startSensorServices(
 *   { decky: "ws-01", services: [{ name: "ftp", options: { port: 2121 } }] },
 *   SENSOR_REGISTRY,
 * );
 * await services.close();
 * ```
 */
export function startSensorServices(
  plan: SensorPlan,
  registry: Readonly<Partial<Record<string, SensorService>>>,
): SensorServices {
  // stderr only: stdout carries nothing but events.
  const log = new Logger({ scope: "sensor", sink: (_level, line) => stderrLine(line) });
  const trustedKeys = new Set<string>();
  const server = serveSensor({
    decky: plan.decky,
    services: plan.services.map((s) => ({ service: registry[s.name]!, options: s.options })),
    sink: jsonLinesSink(Deno.stdout),
    trustedKeys,
    onError: (service, error) => log.warn("connection failed", { service, error }),
  });
  const control = new AbortController();
  const controlDir = plan.controlDir;
  const watching = controlDir
    ? watchSensorControl(controlDir, {
      kill: (session) => {
        const found = server.killSession(session);
        log.info("session kill requested", { session, found });
      },
      trust: (sha256) => trustedKeys.add(sha256),
    }, { signal: control.signal }).catch((error) =>
      log.error("control folder unreadable", { dir: controlDir, error })
    )
    : undefined;
  let closed: Promise<void> | undefined;
  return {
    ports: Object.fromEntries(server.ports),
    close: () =>
      closed ??= (async () => {
        control.abort();
        await watching;
        await server.close();
      })(),
  };
}

const encoder = new TextEncoder();

function stderrLine(line: string): void {
  const bytes = encoder.encode(line + "\n");
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}
