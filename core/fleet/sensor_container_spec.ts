import type { ContainerMount } from "../docker/mod.ts";
import { SENSOR_EVENT_VERSION } from "../sensor/sensor_event.ts";
import { SENSOR_CONTROL_DIR, SENSOR_MAIL_SPOOL, SENSOR_USER } from "../sensor/sensor_image.ts";
import { SENSOR_IMAGE } from "./fleet_spec.ts";
import type { DeckySpec } from "./fleet_spec.ts";
import { SSH_RELAY_KEY_PATH, SSH_RELAY_UPSTREAM } from "./prepare_ssh_relay.ts";

/** Options for {@linkcode sensorContainerSpec}. */
export interface SensorContainerSpecOptions {
  /** The base runs an sshd moved to loopback: the ssh sensor relays to it with the decky's key. */
  sshRelay?: boolean;
}

/** Services whose sensor reads the decky's mail spool. */
const MAIL_SERVICES = ["imap", "pop3"];

/** What the deploy creates for a decky's sensor (all its sensor-served services in one container). */
export interface SensorContainerSpec {
  /** `<decky>-sensor`. */
  name: string;
  image: string;
  /** Arguments after the image's entrypoint (`sensor`). */
  cmd: string[];
  user: string;
  mounts: ContainerMount[];
  /** The envelope version the sensor writes: a change recreates it. */
  eventVersion: number;
}

/**
 * The decky's mail volume (`<decky>-mail`), shared by the decky's
 * containers: mounted read-write where mail delivery writes in the base
 * container (/var/mail), read-only in the sensor; null when no sensor
 * serves IMAP or POP3.
 *
 * @example
 * ```ts
 * import { parseFleetSpec } from "./fleet_spec.ts";
 * const [decky] = parseFleetSpec("[network]\n[decky ws-01]\nservices = imap\n").deckies;
 * deckyMailVolume(decky); // { type: "volume", source: "ws-01-mail", target: "/var/mail" }
 * ```
 */
export function deckyMailVolume(decky: DeckySpec): ContainerMount | null {
  const mail = decky.services.some((s) => s.sensor && MAIL_SERVICES.includes(s.name));
  return mail ? { type: "volume", source: `${decky.name}-mail`, target: SENSOR_MAIL_SPOOL } : null;
}

/**
 * The decky's sensor container, or null when every service has an operator
 * image: one `decnet sensor` for all sensor-served services, with their
 * fleet-file options (and the mail spool for IMAP/POP3) as `--config`.
 *
 * @param decky The parsed decky.
 * @returns Name, image, arguments, user and mounts.
 * @example
 * ```ts
 * import { parseFleetSpec } from "./fleet_spec.ts";
 * const [decky] = parseFleetSpec("[network]\n[decky ws-01]\nservices = ssh\nssh.banner = SSH-2.0-OpenSSH_9.2p1\n").deckies;
 * sensorContainerSpec(decky)?.cmd; // ["--services", "ssh", "--decky", "ws-01", "--config", '{"ssh":{"banner":...}}']
 * ```
 */
export function sensorContainerSpec(
  decky: DeckySpec,
  options: SensorContainerSpecOptions = {},
): SensorContainerSpec | null {
  const served = decky.services.filter((s) => s.sensor);
  if (served.length === 0) return null;
  const mail = deckyMailVolume(decky);
  const config: Record<string, Record<string, unknown>> = {};
  for (const s of served) {
    const o = s.sensor!;
    const entry: Record<string, unknown> = {
      ...(o.port !== undefined ? { port: o.port } : {}),
      ...(o.banner !== undefined ? { banner: o.banner } : {}),
      ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
      ...(o.accept ? { accept: o.accept.map((a) => `${a.username}:${a.password}`) } : {}),
      ...(o.mailboxOwner !== undefined ? { mailbox_owner: o.mailboxOwner } : {}),
      ...(o.upstream !== undefined ? { upstream: o.upstream } : {}),
      ...(mail && MAIL_SERVICES.includes(s.name) ? { mail_spool: SENSOR_MAIL_SPOOL } : {}),
      ...(options.sshRelay && s.name === "ssh"
        ? {
          upstream: o.upstream ?? SSH_RELAY_UPSTREAM,
          upstream_key: SSH_RELAY_KEY_PATH,
        }
        : {}),
    };
    if (Object.keys(entry).length) config[s.name] = entry;
  }
  return {
    name: `${decky.name}-sensor`,
    image: SENSOR_IMAGE,
    cmd: [
      "--services",
      served.map((s) => s.name).join(","),
      "--decky",
      decky.name,
      ...(Object.keys(config).length ? ["--config", JSON.stringify(config)] : []),
      "--control",
      SENSOR_CONTROL_DIR,
    ],
    user: SENSOR_USER,
    mounts: mail ? [{ ...mail, readOnly: true }] : [],
    eventVersion: SENSOR_EVENT_VERSION,
  };
}
