import { parseSensorOptions } from "./parse_sensor_options.ts";
import type { SensorServiceName } from "./sensor_event.ts";
import type { SensorServiceOptions } from "./sensor_options.ts";
import type { SensorService } from "./sensor_service.ts";

/** What one sensor process serves: the decky's name and each service with its options. */
export interface SensorPlan {
  decky: string;
  services: { name: SensorServiceName; options: SensorServiceOptions }[];
  /** Folder the control plane drops requests into (session kills); read only. */
  controlDir?: string;
}

/** Options for {@linkcode parseSensorPlan}. */
export interface ParseSensorPlanOptions {
  decky: string;
  /** Service names (the `--services` list). */
  services: readonly string[];
  /** Per-service options by service name (`{"ssh": {"port": 2222}}`), parsed JSON. */
  config?: unknown;
  /** The services this build offers. */
  registry: Readonly<Partial<Record<string, SensorService>>>;
  /** The `--control` folder, an absolute path. */
  controlDir?: string;
}

const DECKY_REGEXP = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Checks a sensor's command line: every service is registered and listed
 * once, every `config` entry belongs to a listed service and has valid
 * options, and no two services share a port.
 *
 * @param options The decky, service names, config and registry.
 * @returns The plan a sensor runs.
 * @throws {TypeError} naming the field (`services`, `ssh.port`, ...) and the value
 * @example
 * ```ts
 * import type { SensorService } from "./sensor_service.ts";
 * declare const ftp: SensorService;
 * parseSensorPlan({ decky: "ws-01", services: ["ftp"], config: { ftp: { port: 2121 } }, registry: { ftp } });
 * ```
 */
export function parseSensorPlan(options: ParseSensorPlanOptions): SensorPlan {
  const { decky, registry } = options;
  if (!DECKY_REGEXP.test(decky)) {
    throw new TypeError(
      `Cannot start sensor: decky expected a-z, 0-9 and "-" (1-63), got ${JSON.stringify(decky)}`,
    );
  }
  const names = options.services.map((s) => s.trim()).filter(Boolean);
  const known = Object.keys(registry).filter((k) => registry[k]);
  if (names.length === 0) {
    throw new TypeError(
      `Cannot start sensor: services expected one or more of ${list(known)}, got ""`,
    );
  }
  for (const name of names) {
    if (!registry[name]) {
      throw new TypeError(
        `Cannot start sensor: services expected one of ${list(known)}, got ${JSON.stringify(name)}`,
      );
    }
  }
  if (new Set(names).size !== names.length) {
    throw new TypeError(
      `Cannot start sensor: services expected each service once, got ${
        JSON.stringify(names.join(","))
      }`,
    );
  }
  const config = options.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new TypeError(
      `Cannot start sensor: config expected a JSON object, got ${JSON.stringify(config)}`,
    );
  }
  for (const key of Object.keys(config)) {
    if (!names.includes(key)) {
      throw new TypeError(
        `Cannot start sensor: config expected keys among services (${names.join(", ")}), got ${
          JSON.stringify(key)
        }`,
      );
    }
  }
  const services = names.map((name) => ({
    name: name as SensorServiceName,
    options: parseSensorOptions((config as Record<string, unknown>)[name] ?? {}, name),
  }));
  const ports = new Map<number, string>();
  for (const { name, options } of services) {
    const port = options.port ?? registry[name]!.defaultPort;
    const other = ports.get(port);
    if (other) {
      throw new TypeError(
        `Cannot start sensor: ${name}.port expected a port not used by ${other}, got ${port}`,
      );
    }
    ports.set(port, name);
  }
  const controlDir = options.controlDir;
  if (controlDir !== undefined && (!controlDir.startsWith("/") || controlDir.includes(".."))) {
    throw new TypeError(
      `Cannot start sensor: control expected an absolute path, got ${JSON.stringify(controlDir)}`,
    );
  }
  return { decky, services, ...(controlDir !== undefined ? { controlDir } : {}) };
}

function list(names: string[]): string {
  return names.length ? names.join(", ") : "(none in this build)";
}
