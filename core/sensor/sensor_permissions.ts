import type { SensorPlan } from "./sensor_plan.ts";
import type { SensorService } from "./sensor_service.ts";

/** Deno permissions of a sensor: Deno's `deno.permissions` shape for a Worker. */
export interface SensorPermissions {
  net: string[];
  read: string[];
  env: false;
  write: false;
  run: false;
  ffi: false;
  sys: false;
  import: false;
}

/** Options for {@linkcode sensorPermissions}. */
export interface SensorPermissionsOptions {
  /** The services this build offers (for default ports). */
  registry: Readonly<Partial<Record<string, SensorService>>>;
  /** The module file the sensor runs from (it reads itself); null when not a file. */
  modulePath: string | null;
  /** Address the services listen on. @default "0.0.0.0" */
  hostname?: string;
}

/**
 * The least a sensor needs: listen on each service's port, connect to each
 * service's upstream, read its module, the mail spool, upstream key
 * files and its control folder; no environment, no writes, no subprocess, no FFI.
 *
 * @param plan What the sensor serves.
 * @param options Registry, module path and listen address.
 * @returns The permissions, also usable as `--allow-net=`/`--allow-read=` lists.
 * @example
 * ```ts
 * import type { SensorService } from "./sensor_service.ts";
 * declare const ftp: SensorService; // defaultPort 21
 * sensorPermissions({ decky: "ws-01", services: [{ name: "ftp", options: {} }] }, { registry: { ftp }, modulePath: null }).net;
 * // ["0.0.0.0:21"]
 * ```
 */
export function sensorPermissions(
  plan: SensorPlan,
  options: SensorPermissionsOptions,
): SensorPermissions {
  const host = options.hostname ?? "0.0.0.0";
  const net = new Set<string>();
  const read = new Set<string>();
  if (options.modulePath) read.add(options.modulePath);
  if (plan.controlDir) read.add(plan.controlDir);
  for (const { name, options: o } of plan.services) {
    const service = options.registry[name]!;
    net.add(`${host}:${o.port ?? service.defaultPort}`);
    for (const entry of service.net ?? []) net.add(entry);
    if (o.upstream) {
      const { hostname, port } = o.upstream;
      net.add(hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`);
    }
    if (o.mailSpool) read.add(o.mailSpool);
    if (o.upstreamKeyPath) read.add(o.upstreamKeyPath);
  }
  return {
    net: [...net],
    read: [...read],
    env: false,
    write: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}
