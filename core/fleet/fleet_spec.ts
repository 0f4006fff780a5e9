import { quoteValue } from "../log/mod.ts";
import { parseSensorOptions, SENSOR_OPTION_KEYS } from "../sensor/parse_sensor_options.ts";
import { SENSOR_IMAGE_REPO } from "../sensor/sensor_image.ts";
import { SERVICE_LOG_FORMATS, type ServiceLogFormat } from "../sensor/service_log_formats.ts";
import { SERVED_SERVICES } from "../sensor/served_services.ts";
import type { SensorServiceOptions } from "../sensor/sensor_options.ts";
import { SWARM_HOST_NAME_REGEXP } from "../swarm/swarm_host_name.ts";
import { VERSION } from "../version.ts";
import { cidrContains, ipv4ToNumber, parseCidr } from "./_ipv4.ts";
import { type IniEntry, type IniSection, parseIni } from "./parse_ini.ts";
import { validateDeckyName } from "./validate_decky_name.ts";
import { validateInterfaceName } from "./validate_interface_name.ts";

/** Network drivers a fleet can use. */
export const NETWORK_DRIVERS = ["bridge", "macvlan", "ipvlan"] as const;
export type NetworkDriver = typeof NETWORK_DRIVERS[number];

/** OS personas a decky can wear. */
export const OS_PERSONAS = ["linux", "windows"] as const;
export type OsPersona = typeof OS_PERSONAS[number];

/**
 * Who is PID 1 of a decky's containers: `image` runs the image's own
 * entrypoint or init (sysvinit, systemd, or the command itself), `docker`
 * puts Docker's init (`docker-init`, a tell) in front of it.
 */
export const INIT_MODES = ["image", "docker"] as const;
export type InitMode = typeof INIT_MODES[number];

/** At most this many resolvers: glibc reads the first three `nameserver` lines. */
export const MAX_NAMESERVERS = 3;

/** Network name when `[network] name` is absent. */
export const DEFAULT_NETWORK_NAME = "decoys";
/** Image of the base container (holds the network namespace) unless `base_image` says otherwise. */
export const DEFAULT_BASE_IMAGE = "debian:bookworm-slim";
/** Command of the base container: a process that just stays up (GNU and busybox `sleep`). */
export const DEFAULT_BASE_COMMAND: readonly string[] = Object.freeze(["sleep", "2147483647"]);

/** Whether a network's deckies may reach beyond its LAN. */
export const EGRESS_MODES = ["deny", "allow"] as const;
export type EgressMode = typeof EGRESS_MODES[number];

/** Default limits of every decky container (`cpus`, `memory`, `pids` in the fleet file). */
export const DEFAULT_DECKY_CPUS = 1;
export const DEFAULT_DECKY_MEMORY = "512m";
export const DEFAULT_DECKY_PIDS = 512;

/** The image a sensor-served service runs: decnet's own, tagged with its version. */
export const SENSOR_IMAGE = `${SENSOR_IMAGE_REPO}:${VERSION}`;

/** Sensor option keys an operator may set in the fleet file (`ssh.banner`); the rest are the deploy's. */
export const FLEET_SENSOR_OPTION_KEYS: readonly string[] = SENSOR_OPTION_KEYS.filter((k) =>
  !["mail_spool", "upstream_key"].includes(k)
);

/** The network every decky of a fleet file joins. */
export interface NetworkSpec {
  name: string;
  driver: NetworkDriver;
  subnet: string | null;
  gateway: string | null;
  /** Host interface (parent) for macvlan/ipvlan. */
  interface: string | null;
  /** The LAN's resolvers (IPv4), the default of every decky's; empty when not set. */
  dns: string[];
  /**
   * `deny` (default on bridge): the network is internal, deckies have no
   * default route, only the LAN and the host's listeners on it are reachable.
   */
  egress: EgressMode;
}

/** One service container of a decky. */
export interface ServiceSpec {
  name: string;
  image: string;
  /** argv replacing the image's CMD; null keeps the image's. */
  command: string[] | null;
  /**
   * Served by the decky's sensor (no operator image): its options from the
   * fleet file (`ssh.banner = ...`); null for an operator image.
   */
  sensor: SensorServiceOptions | null;
  /**
   * An operator image's log format (`log.<service>`), which the collector
   * reads into events; null when its log is not read.
   */
  log: ServiceLogFormat | null;
}

/** One decky: a base container plus one container per service. */
export interface DeckySpec {
  name: string;
  services: ServiceSpec[];
  baseImage: string;
  baseCommand: string[];
  /** Static IPv4 on the network; null lets Docker pick. */
  ip: string | null;
  os: OsPersona;
  /** PID 1 of the decky's containers: the image's own (default) or Docker's init. */
  init: InitMode;
  /** Resolvers written to the decky's /etc/resolv.conf; empty keeps Docker's (127.0.0.11). */
  dns: string[];
  /** Limits of each of the decky's containers. */
  limits: { nanoCpus: number; memoryBytes: number; pidsLimit: number };
  /** The swarm agent that runs it (`host = NAME`); null: the master's own Docker. */
  host: string | null;
}

/** A parsed fleet file. */
export interface FleetSpec {
  network: NetworkSpec;
  deckies: DeckySpec[];
}

/** Options for {@linkcode parseFleetSpec}. */
export interface ParseFleetSpecOptions {
  /** Overrides `[network] interface` (the CLI's `--interface`). */
  interface?: string;
  /** Services a sensor serves when no image is given. @default SERVED_SERVICES */
  sensorServices?: readonly string[];
  /**
   * The swarm hosts a decky's `host` may name (enrolled agents); when
   * absent, a `host` is only checked to be a well-formed host name.
   */
  hosts?: readonly string[];
}

const SERVICE_NAME_REGEXP = /^[a-z0-9_]{1,32}$/;
const IMAGE_REGEXP = /^[A-Za-z0-9][A-Za-z0-9._\/:@-]*$/;
const NETWORK_KEYS = ["driver", "name", "subnet", "gateway", "interface", "dns", "egress"];
const LIMIT_KEYS = ["cpus", "memory", "pids"];
const DECKY_KEYS = [
  "host",
  "services",
  "image",
  "base_image",
  "base_command",
  "ip",
  "os",
  "init",
  "dns",
  ...LIMIT_KEYS,
];
const DEFAULTS_KEYS = [
  "services",
  "image",
  "base_image",
  "base_command",
  "os",
  "init",
  "dns",
  ...LIMIT_KEYS,
];

/**
 * Parses a fleet file (INI, see deploy/fleet.example.ini): one `[network]`
 * section, an optional `[defaults]` section, and one `[decky NAME]` section
 * per decky with `services`, `image` / `image.<service>`,
 * `command.<service>`, `base_image`, `base_command`, `ip`, `os`, `init`,
 * `dns` (`dns` also in `[network]`, the LAN's resolvers) and the limits
 * `cpus`, `memory`, `pids`. A service with no image at all (neither
 * `image.<service>` nor `image`) is served by the decky's sensor, with
 * options `<service>.<option>` (`ssh.banner`, `ssh.accept`,
 * `imap.mailbox_owner`, ...). `[network] egress = allow` lets deckies
 * route beyond the LAN (default `deny`). `host = NAME` puts a decky on a
 * swarm agent (one of `options.hosts` when given); without it the decky runs
 * on the master's own Docker.
 *
 * @param text The file's text.
 * @param options `interface` overrides the file's.
 * @returns The network and deckies, validated.
 * @throws {SyntaxError} naming the line and key of the first problem
 * @example
 * ```ts
 * const spec = parseFleetSpec("[network]\n[decky ws-01]\nservices = ssh\nimage = alpine:3\n");
 * spec.deckies[0].services[0].image; // "alpine:3"
 * ```
 */
export function parseFleetSpec(text: string, options: ParseFleetSpecOptions = {}): FleetSpec {
  const sections = parseIni(text);
  let networkSection: IniSection | undefined;
  let defaults: IniSection | undefined;
  const deckySections: { name: string; section: IniSection }[] = [];
  for (const section of sections) {
    const [kind, ...rest] = section.name.split(" ");
    if (kind === "network" && rest.length === 0) networkSection = section;
    else if (kind === "defaults" && rest.length === 0) defaults = section;
    else if (kind === "decky" && rest.length === 1) {
      const name = rest[0];
      try {
        validateDeckyName(name);
      } catch (e) {
        throw new SyntaxError(
          `Cannot parse line ${section.line}: ${(e as Error).message}, got ${quoteValue(name)}`,
        );
      }
      deckySections.push({ name, section });
    } else {
      throw new SyntaxError(
        `Cannot parse line ${section.line}: expected [network], [defaults] or [decky NAME], got "[${section.name}]"`,
      );
    }
  }
  const network = parseNetwork(networkSection, options);
  if (defaults) checkKeys(defaults, DEFAULTS_KEYS, true);
  if (deckySections.length === 0) {
    throw new SyntaxError(`Cannot parse fleet file: expected at least one [decky NAME] section`);
  }
  const sensorServices = options.sensorServices ?? SERVED_SERVICES;
  const deckies = deckySections.map(({ name, section }) =>
    parseDecky(name, section, { defaults, network, sensorServices, hosts: options.hosts })
  );
  checkAddresses(network, deckies, deckySections.map((d) => d.section));
  return { network, deckies };
}

function parseNetwork(
  section: IniSection | undefined,
  options: ParseFleetSpecOptions,
): NetworkSpec {
  const get = (key: string) => section?.entries.find((e) => e.key === key);
  if (section) checkKeys(section, NETWORK_KEYS);
  const driverEntry = get("driver");
  const driver = (driverEntry?.value || "bridge") as NetworkDriver;
  if (!NETWORK_DRIVERS.includes(driver)) {
    throw keyError(driverEntry!, `expected ${NETWORK_DRIVERS.join(" | ")}`);
  }
  const nameEntry = get("name");
  const name = nameEntry?.value || DEFAULT_NETWORK_NAME;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw keyError(nameEntry!, "expected letters, digits, '.', '_' or '-'");
  }
  const subnetEntry = get("subnet");
  const subnet = subnetEntry?.value || null;
  if (subnet !== null && !parseCidr(subnet)) {
    throw keyError(subnetEntry!, "expected an IPv4 subnet like 192.0.2.0/24");
  }
  const gatewayEntry = get("gateway");
  const gateway = gatewayEntry?.value || null;
  if (gateway !== null) {
    const ip = ipv4ToNumber(gateway);
    if (ip === undefined) throw keyError(gatewayEntry!, "expected an IPv4 address");
    if (!subnet) throw keyError(gatewayEntry!, "expected a subnet to go with the gateway");
    if (!cidrContains(parseCidr(subnet)!, ip)) {
      throw keyError(gatewayEntry!, `expected an address inside ${subnet}`);
    }
  }
  const interfaceEntry = get("interface");
  const iface = options.interface ?? (interfaceEntry?.value || null);
  if (iface !== null) {
    try {
      validateInterfaceName(iface);
    } catch (e) {
      const expected = (e as SyntaxError).message;
      if (options.interface === undefined) throw keyError(interfaceEntry!, expected);
      throw new SyntaxError(`Cannot use --interface: ${expected}, got ${quoteValue(iface)}`);
    }
  }
  if (driver !== "bridge") {
    const where = `line ${driverEntry!.line}, key "driver"`;
    if (!iface) {
      throw new SyntaxError(
        `Cannot parse ${where}: ${driver} needs "interface" (or --interface), got "${driver}"`,
      );
    }
    if (!subnet) {
      throw new SyntaxError(`Cannot parse ${where}: ${driver} needs "subnet", got "${driver}"`);
    }
  }
  const dnsEntry = get("dns");
  const egressEntry = get("egress");
  // Docker's internal macvlan/ipvlan drops the parent interface, so those keep their route.
  const egress = (egressEntry?.value || (driver === "bridge" ? "deny" : "allow")) as EgressMode;
  if (!EGRESS_MODES.includes(egress)) {
    throw keyError(egressEntry!, `expected ${EGRESS_MODES.join(" | ")}`);
  }
  if (egress === "deny" && driver !== "bridge") {
    throw keyError(egressEntry!, `expected "allow" with ${driver} (deny needs a bridge network)`);
  }
  return {
    name,
    driver,
    subnet,
    gateway,
    interface: iface,
    dns: dnsEntry ? parseNameservers(dnsEntry) : [],
    egress,
  };
}

function parseDecky(
  name: string,
  section: IniSection,
  context: {
    defaults?: IniSection;
    network: NetworkSpec;
    sensorServices: readonly string[];
    hosts?: readonly string[];
  },
): DeckySpec {
  const { defaults, network } = context;
  checkKeys(section, DECKY_KEYS, true);
  const own = (key: string) => section.entries.find((e) => e.key === key);
  const find = (key: string) => own(key) ?? defaults?.entries.find((e) => e.key === key);
  const servicesEntry = find("services");
  if (!servicesEntry || servicesEntry.value === "") {
    throw new SyntaxError(
      `Cannot parse line ${section.line}, key "services": expected a list like "ssh, http" in [decky ${name}], got ""`,
    );
  }
  const serviceNames = servicesEntry.value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of serviceNames) {
    if (!SERVICE_NAME_REGEXP.test(s) || s === "base") {
      throw keyError(servicesEntry, `expected service names of a-z, 0-9 or "_" (not "base")`);
    }
  }
  if (new Set(serviceNames).size !== serviceNames.length) {
    throw keyError(servicesEntry, "expected each service once");
  }
  for (const s of [section, defaults]) {
    for (const e of s?.entries ?? []) {
      const [prefix, service] = splitServiceKey(e.key);
      const optionOf = /^([a-z0-9_]+)\.[a-z_]+$/.exec(e.key)?.[1];
      if (!prefix && optionOf && s === section && !serviceNames.includes(optionOf)) {
        throw keyError(
          e,
          `expected options of a service listed in "services" (${serviceNames.join(", ")})`,
        );
      }
      if (prefix && s === section && !serviceNames.includes(service)) {
        throw keyError(e, `expected a service listed in "services" (${serviceNames.join(", ")})`);
      }
    }
  }
  const services = serviceNames.map((service): ServiceSpec => {
    const imageEntry = find(`image.${service}`) ?? find("image");
    const optionEntries = [...(defaults?.entries ?? []), ...section.entries].filter((e) =>
      e.key.startsWith(`${service}.`)
    );
    if (!imageEntry) {
      if (!context.sensorServices.includes(service)) {
        throw new SyntaxError(
          `Cannot parse line ${section.line}, key "image.${service}": expected an image for service ${service} of decky ${name} (no built-in sensor serves it), got ""`,
        );
      }
      if (find(`command.${service}`)) {
        throw keyError(
          find(`command.${service}`)!,
          `expected no command for sensor service ${service}`,
        );
      }
      if (find(`log.${service}`)) {
        throw keyError(
          find(`log.${service}`)!,
          `expected no log format for sensor service ${service}`,
        );
      }
      return {
        name: service,
        image: SENSOR_IMAGE,
        command: null,
        sensor: parseSensorEntries(service, optionEntries),
        log: null,
      };
    }
    if (optionEntries.length) {
      throw keyError(
        optionEntries[0],
        `expected options only for a sensor service (${service} has an image)`,
      );
    }
    const commandEntry = find(`command.${service}`);
    const logEntry = find(`log.${service}`);
    return {
      name: service,
      image: parseImage(imageEntry),
      command: commandEntry ? parseCommand(commandEntry) : null,
      log: logEntry ? parseLogFormat(logEntry) : null,
      sensor: null,
    };
  });
  const baseImageEntry = find("base_image");
  const baseCommandEntry = find("base_command");
  const ipEntry = own("ip");
  const ip = ipEntry?.value || null;
  if (ip !== null && ipv4ToNumber(ip) === undefined) {
    throw keyError(ipEntry!, "expected an IPv4 address");
  }
  const osEntry = find("os");
  const os = (osEntry?.value || "linux") as OsPersona;
  if (!OS_PERSONAS.includes(os)) throw keyError(osEntry!, `expected ${OS_PERSONAS.join(" | ")}`);
  const initEntry = find("init");
  const init = (initEntry?.value || "image") as InitMode;
  if (!INIT_MODES.includes(init)) throw keyError(initEntry!, `expected ${INIT_MODES.join(" | ")}`);
  const dnsEntry = find("dns");
  return {
    name,
    services,
    baseImage: baseImageEntry ? parseImage(baseImageEntry) : DEFAULT_BASE_IMAGE,
    baseCommand: baseCommandEntry ? parseCommand(baseCommandEntry) : [...DEFAULT_BASE_COMMAND],
    ip,
    os,
    init,
    dns: dnsEntry ? parseNameservers(dnsEntry) : [...network.dns],
    limits: parseLimits(find),
    host: parseHost(name, own("host"), context.hosts),
  };
}

/** A decky's swarm host: a host name, and one of `hosts` when the caller knows them. */
function parseHost(
  decky: string,
  entry: IniEntry | undefined,
  hosts: readonly string[] | undefined,
): string | null {
  if (!entry || entry.value === "") return null;
  if (!SWARM_HOST_NAME_REGEXP.test(entry.value)) {
    throw keyError(entry, "expected a swarm host name (lowercase letters, digits, dashes)");
  }
  if (hosts && !hosts.includes(entry.value)) {
    const known = hosts.length ? hosts.join(", ") : "none";
    throw keyError(
      entry,
      `expected an enrolled swarm host for decky ${decky} (enrolled: ${known})`,
    );
  }
  return entry.value;
}

/** `<service>.<option>` entries -> the sensor's options (later entries win: the decky's over [defaults]). */
function parseSensorEntries(service: string, entries: IniEntry[]): SensorServiceOptions {
  const raw: Record<string, string> = {};
  for (const e of entries) {
    const option = e.key.slice(service.length + 1);
    if (!FLEET_SENSOR_OPTION_KEYS.includes(option)) {
      throw keyError(
        e,
        `expected one of ${FLEET_SENSOR_OPTION_KEYS.map((k) => `${service}.${k}`).join(", ")}`,
      );
    }
    try {
      parseSensorOptions({ [option]: e.value }, service);
    } catch (error) {
      // The sensor's message names the field; accept's never shows the value (passwords).
      throw new SyntaxError(
        `Cannot parse line ${e.line}, key "${e.key}": ${(error as Error).message}`,
      );
    }
    raw[option] = e.value;
  }
  return parseSensorOptions(raw, service);
}

const MEMORY_REGEXP = /^(\d+)([kmg]?)$/i;

function parseLimits(
  find: (key: string) => IniEntry | undefined,
): DeckySpec["limits"] {
  const cpusEntry = find("cpus");
  const cpus = cpusEntry ? Number(cpusEntry.value) : DEFAULT_DECKY_CPUS;
  if (!Number.isFinite(cpus) || cpus < 0.01 || cpus > 64) {
    throw keyError(cpusEntry!, "expected a number of CPUs 0.01-64, like 0.5");
  }
  const memoryEntry = find("memory");
  const m = MEMORY_REGEXP.exec(memoryEntry?.value ?? DEFAULT_DECKY_MEMORY);
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? "").toLowerCase()]!;
  const memoryBytes = m ? Number(m[1]) * unit : 0;
  if (memoryBytes < 6 * 1024 ** 2 || memoryBytes > 256 * 1024 ** 3) {
    throw keyError(memoryEntry!, "expected a size 6m-256g, like 512m");
  }
  const pidsEntry = find("pids");
  const pids = pidsEntry ? Number(pidsEntry.value) : DEFAULT_DECKY_PIDS;
  if (!Number.isInteger(pids) || pids < 16 || pids > 65536) {
    throw keyError(pidsEntry!, "expected a whole number of processes 16-65536");
  }
  return { nanoCpus: Math.round(cpus * 1e9), memoryBytes, pidsLimit: pids };
}

/** 1-3 IPv4 resolvers, comma or space separated; never loopback (unreachable from a LAN, and a tell). */
function parseNameservers(entry: IniEntry): string[] {
  const list = entry.value.split(/[\s,]+/).filter(Boolean);
  if (list.length === 0 || list.length > MAX_NAMESERVERS) {
    throw keyError(entry, `expected 1-${MAX_NAMESERVERS} IPv4 resolver addresses like 10.0.0.53`);
  }
  for (const ip of list) {
    const n = ipv4ToNumber(ip);
    if (n === undefined) throw keyError(entry, `expected IPv4 resolver addresses, not "${ip}"`);
    if (n >>> 24 === 127 || n === 0) {
      throw keyError(entry, `expected the LAN's resolver, not the local address ${ip}`);
    }
  }
  return list;
}

function checkAddresses(network: NetworkSpec, deckies: DeckySpec[], sections: IniSection[]): void {
  const seen = new Map<string, string>();
  const cidr = network.subnet ? parseCidr(network.subnet) : undefined;
  deckies.forEach((decky, i) => {
    if (decky.ip === null) return;
    const entry = sections[i].entries.find((e) => e.key === "ip")!;
    if (!cidr) throw keyError(entry, `expected [network] subnet to be set for a static ip`);
    if (!cidrContains(cidr, ipv4ToNumber(decky.ip)!)) {
      throw keyError(entry, `expected an address inside ${network.subnet}`);
    }
    if (decky.ip === network.gateway) {
      throw keyError(entry, "expected an address other than the gateway");
    }
    const other = seen.get(decky.ip);
    if (other) throw keyError(entry, `expected an address not already used by ${other}`);
    seen.set(decky.ip, decky.name);
  });
}

function checkKeys(section: IniSection, allowed: string[], sensorOptions = false): void {
  for (const e of section.entries) {
    if (allowed.includes(e.key) || splitServiceKey(e.key)[0]) continue;
    if (sensorOptions && /^[a-z0-9_]+\.[a-z_]+$/.test(e.key)) continue;
    throw keyError(
      e,
      `expected one of ${
        [
          ...allowed,
          "image.<service>",
          "command.<service>",
          "log.<service>",
          ...(sensorOptions ? ["<service>.<option>"] : []),
        ].join(", ")
      } in [${section.name}]`,
    );
  }
}

function splitServiceKey(
  key: string,
): ["image" | "command" | "log", string] | [undefined, string] {
  const m = /^(image|command|log)\.([a-z0-9_]+)$/.exec(key);
  return m ? [m[1] as "image" | "command" | "log", m[2]] : [undefined, key];
}

function parseLogFormat(entry: IniEntry): ServiceLogFormat {
  const value = entry.value.trim();
  if (!(SERVICE_LOG_FORMATS as readonly string[]).includes(value)) {
    throw keyError(entry, `expected one of ${SERVICE_LOG_FORMATS.join(", ")}`);
  }
  return value as ServiceLogFormat;
}

function parseImage(entry: IniEntry): string {
  if (!IMAGE_REGEXP.test(entry.value)) {
    throw keyError(entry, "expected an image reference like debian:12");
  }
  return entry.value;
}

/** A JSON array of strings, or words split on whitespace with '...' and "..." quoting. */
function parseCommand(entry: IniEntry): string[] {
  const text = entry.value;
  if (text.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw keyError(entry, "expected a JSON array of strings");
    }
    if (
      !Array.isArray(parsed) || parsed.length === 0 || parsed.some((a) => typeof a !== "string")
    ) {
      throw keyError(entry, "expected a non-empty JSON array of strings");
    }
    return parsed as string[];
  }
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? "") + c;
  }
  if (quote) throw keyError(entry, "expected the closing quote");
  if (word !== null) words.push(word);
  if (words.length === 0) throw keyError(entry, "expected a command");
  return words;
}

function keyError(entry: IniEntry, expected: string): SyntaxError {
  return new SyntaxError(
    `Cannot parse line ${entry.line}, key "${entry.key}": ${expected}, got "${entry.value}"`,
  );
}
