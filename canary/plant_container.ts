import { isSensorImage } from "../core/sensor/sensor_image.ts";

/** Service names preferred for planting, in order: where an intruder gets a shell. */
export const SHELL_SERVICES: readonly string[] = Object.freeze(["ssh", "telnet", "ftp"]);

/** A decky as the planter needs it. */
export interface PlantTarget {
  name: string;
  /** Service names, in deploy order (`<decky>-<service>` containers). */
  services: readonly string[];
  /** Plant into this container instead of the one the rule picks. */
  container?: string;
  /** Image per service as recorded: a sensor-served service's files live in the base container. */
  images?: Readonly<Record<string, string>>;
}

/**
 * Picks the container of a decky that bait goes into. A fleet decky is a base
 * container named after it (holding the network namespace) plus one container
 * per service named `<decky>-<service>`, each with its own filesystem. Bait
 * belongs where an intruder lands, so the rule is: an explicit `container`;
 * else the first of ssh, telnet, ftp the decky runs; else its first service;
 * else (no services) the base container, which is also where a service served
 * by the sensor (it has no shell) gets its files.
 *
 * @param decky the decky's name and services
 * @returns the container name
 * @example
 * ```ts
 * plantContainer({ name: "ws-01", services: ["http", "ssh"] }); // "ws-01-ssh"
 * ```
 */
export function plantContainer(decky: PlantTarget): string {
  if (decky.container) return decky.container;
  const shell = SHELL_SERVICES.find((s) => decky.services.includes(s));
  const service = shell ?? decky.services[0];
  return service === undefined || isSensorImage(decky.images?.[service])
    ? decky.name
    : `${decky.name}-${service}`;
}
