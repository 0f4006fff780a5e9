import { errorText, type Logger } from "../log/mod.ts";
import type { DeckyState } from "../db/mod.ts";
import type { ContainerSummary, DockerClient } from "../docker/mod.ts";
import type { FleetContext } from "./fleet_context.ts";
import { type FleetLabelKeys, fleetLabelKeys } from "./fleet_labels.ts";
import type { DeckySpec, FleetSpec, NetworkSpec } from "./fleet_spec.ts";
import { debianHostsFile } from "./debian_hosts_file.ts";
import { debianResolvConf } from "./debian_resolv_conf.ts";
import { hideContainerTells } from "./hide_container_tells.ts";
import { ensureSensorImage } from "./ensure_sensor_image.ts";
import { deckyMailVolume, sensorContainerSpec } from "./sensor_container_spec.ts";
import { fleetSshAddress, installRelayKey, prepareSshRelay } from "./prepare_ssh_relay.ts";
import { generateRelayKey } from "../sensor/generate_relay_key.ts";
import type { SensorProgram } from "../sensor/sensor_image.ts";
import { type DeckyRecord, recordDecky } from "./record_decky.ts";
import type { StateDecky } from "./state_file.ts";

/** Options for {@linkcode deployFleet}. */
export interface DeployFleetOptions {
  /** Plan only: no Docker call, no write. @default false */
  dryRun?: boolean;
  /**
   * Runs after each decky is up (e.g. canary seeding). Best effort: an
   * error is logged and never fails the deploy.
   */
  afterDeploy?: (decky: StateDecky) => Promise<void>;
  /** What a missing sensor image is built from. @default the running bundle or binary */
  sensorProgram?: SensorProgram;
  signal?: AbortSignal;
}

/** What happened to one decky. */
export interface DeckyDeployResult {
  name: string;
  /** deployed (something was created or started), unchanged, planned (dry run) or failed. */
  status: "deployed" | "unchanged" | "planned" | "failed";
  state: DeckyState | null;
  ip: string | null;
  /** Container names: the base first, then one per service. */
  containers: string[];
  error?: string;
}

/** Outcome of a deploy: per-decky results, and an error when it stopped before the deckies. */
export interface DeployFleetResult {
  network: { name: string; driver: string; status: "created" | "exists" | "planned" | "failed" };
  results: DeckyDeployResult[];
  error?: string;
}

/**
 * Deploys every decky of `spec`: ensures the network, then per decky a base
 * container holding the network namespace (named after the decky, hostname
 * the decky's name, static ip if given) and one container per service
 * joined to it (`<decky>-<service>`, NetworkMode `container:<base>`), all
 * with our labels and PID 1 as the decky's `init` says; then, from inside,
 * removes /.dockerenv and writes /etc/hosts and /etc/resolv.conf as Debian
 * would (see {@linkcode hideContainerTells}). Idempotent: a container whose spec label
 * matches is kept (started if stopped), a changed one is recreated, a
 * service no longer listed is removed, so a deploy interrupted half-way
 * finishes on the next run. Each decky is recorded as `pending` before and
 * `running` (or `failed`) after, in the state file and the database.
 *
 * @param spec The parsed fleet file.
 * @param context Docker, repositories, state file, bus and log.
 * @param options `dryRun`, `afterDeploy`, `signal`.
 * @returns Per-decky results; never throws half-way for a decky's failure.
 */
export async function deployFleet(
  spec: FleetSpec,
  context: FleetContext,
  options: DeployFleetOptions = {},
): Promise<DeployFleetResult> {
  options.signal?.throwIfAborted();
  const labels = context.labels ?? fleetLabelKeys();
  const network = { name: spec.network.name, driver: spec.network.driver };
  if (options.dryRun) {
    return {
      network: { ...network, status: "planned" },
      results: spec.deckies.map((d) => ({
        name: d.name,
        status: "planned",
        state: null,
        ip: d.ip,
        containers: containerNames(d),
      })),
    };
  }
  let networkStatus: "created" | "exists";
  let existing: ContainerSummary[];
  try {
    networkStatus = await ensureNetwork(context.docker, spec.network, context, labels);
    if (spec.deckies.some((d) => d.services.some((s) => s.sensor))) {
      const image = await ensureSensorImage(context.docker, options.sensorProgram);
      if (image === "built") context.log.info("sensor image built");
    }
    existing = await context.docker.listContainers({
      labels: { [labels.managed]: "true", [labels.host]: context.hostUuid },
      all: true,
    });
  } catch (e) {
    context.log.error("deploy stopped before any decky", { error: e });
    return { network: { ...network, status: "failed" }, results: [], error: errorText(e) };
  }
  const results: DeckyDeployResult[] = [];
  for (const decky of spec.deckies) {
    if (options.signal?.aborted) {
      results.push(failed(decky, "Cannot deploy: aborted"));
      continue;
    }
    results.push(await deployDecky(decky, spec.network, context, { labels, existing, options }));
  }
  const failures = results.filter((r) => r.status === "failed").length;
  return {
    network: { ...network, status: networkStatus },
    results,
    ...(failures ? { error: `${failures} of ${results.length} deckies failed` } : {}),
  };
}

/** What the steps of one decky's deploy share. */
interface DeckyDeploy {
  decky: DeckySpec;
  network: NetworkSpec;
  context: FleetContext;
  labels: FleetLabelKeys;
  /** The labels every container of the decky carries. */
  deckyLabels: Record<string, string>;
  /** What is recorded for the decky (state file and row). */
  record: DeckyRecord;
  /** Our containers before the deploy; `mine` are this decky's. */
  existing: ContainerSummary[];
  mine: ContainerSummary[];
  /** Ids removed during this deploy. */
  removed: Set<string>;
  log: Logger;
  /** Whether anything was created, started or removed. */
  changed: boolean;
}

async function deployDecky(
  decky: DeckySpec,
  network: NetworkSpec,
  context: FleetContext,
  extra: { labels: FleetLabelKeys; existing: ContainerSummary[]; options: DeployFleetOptions },
): Promise<DeckyDeployResult> {
  const { labels } = extra;
  const run: DeckyDeploy = {
    decky,
    network,
    context,
    labels,
    deckyLabels: {
      [labels.managed]: "true",
      [labels.host]: context.hostUuid,
      [labels.decky]: decky.name,
    },
    record: {
      name: decky.name,
      uuid: crypto.randomUUID(),
      ip: decky.ip,
      services: decky.services.map((s) => s.name),
      images: {
        base: decky.baseImage,
        ...Object.fromEntries(decky.services.map((s) => [s.name, s.image])),
      },
      network: network.name,
      networkDriver: network.driver,
      osPersona: decky.os,
    },
    existing: extra.existing,
    mine: extra.existing.filter((c) => c.labels[labels.decky] === decky.name),
    removed: new Set(),
    log: context.log.child(decky.name),
    changed: false,
  };
  const { log } = run;
  try {
    const base = await ensureBase(run);
    const services = await ensureServices(run, base.id);
    const sensor = await ensureSensor(run, base.id);
    await removeStale(run, [base.name, ...services, ...(sensor ? [sensor] : [])]);
    // The sensor has no shell to hide anything with, and shows the decky nothing of its own.
    await hideTells(run, [base.name, ...services]);
    const details = await context.docker.inspectContainer(base.id);
    const ip = details?.networks[network.name]?.ipAddress || decky.ip;
    const entry = await recordDecky(context, { ...run.record, ip, state: "running" });
    if (run.changed) log.info("decky deployed", { ip, services: run.record.services.join(",") });
    if (extra.options.afterDeploy) {
      try {
        await extra.options.afterDeploy(entry);
      } catch (e) {
        log.warn("after-deploy step failed (the decky stays up)", { error: e });
      }
    }
    return {
      name: decky.name,
      status: run.changed ? "deployed" : "unchanged",
      state: "running",
      ip,
      containers: containerNames(decky),
    };
  } catch (e) {
    log.error("decky deploy failed", { error: e });
    try {
      await recordDecky(context, { ...run.record, state: "failed" });
    } catch (writeError) {
      log.error("cannot record the failure", { error: writeError });
    }
    return failed(decky, errorText(e));
  }
}

/**
 * The base container holding the decky's network namespace: kept when its
 * spec label matches, else recreated (and every service container with it,
 * since they must join the new namespace); started unless running.
 */
async function ensureBase(run: DeckyDeploy): Promise<{ name: string; id: string }> {
  const { decky, network, labels, context: { docker } } = run;
  const spec = await digest({
    image: decky.baseImage,
    cmd: decky.baseCommand,
    network: network.name,
    ip: decky.ip,
    init: decky.init,
    dns: decky.dns,
    cgroupns: "private",
    limits: decky.limits,
    mail: deckyMailVolume(decky),
  });
  const current = ownContainer(run, decky.name, "base");
  let id: string;
  if (current && current.labels[labels.spec] === spec) {
    id = current.id;
  } else {
    await beginChange(run);
    for (const c of run.mine) await removeContainer(run, c);
    id = await docker.createContainer({
      image: decky.baseImage,
      name: decky.name,
      cmd: decky.baseCommand,
      hostname: decky.name,
      labels: {
        ...run.deckyLabels,
        [labels.role]: "base",
        [labels.spec]: spec,
        [labels.deploy]: JSON.stringify({ network, decky }),
      },
      networkMode: network.name,
      ...(decky.ip ? { ipv4Address: decky.ip } : {}),
      init: decky.init === "docker",
      dns: decky.dns,
      cgroupns: "private",
      restartPolicy: "unless-stopped",
      limits: decky.limits,
      mounts: [deckyMailVolume(decky)].filter((m) => m !== null),
    });
    run.log.info("base container created", { id: id.slice(0, 12) });
  }
  if (current?.state !== "running" || run.changed) {
    await docker.startContainer(id);
    run.changed = true;
  }
  return { name: decky.name, id };
}

/**
 * One container per service joined to the base's namespace
 * (`<decky>-<service>`): kept when its spec label matches (started if
 * stopped), else recreated. Returns the service containers' names.
 */
async function ensureServices(run: DeckyDeploy, baseId: string): Promise<string[]> {
  const { decky, labels, context: { docker } } = run;
  const names: string[] = [];
  for (const service of decky.services.filter((s) => !s.sensor)) {
    const name = `${decky.name}-${service.name}`;
    names.push(name);
    const spec = await digest({
      image: service.image,
      cmd: service.command,
      base: baseId,
      init: decky.init,
      limits: decky.limits,
      mail: deckyMailVolume(decky),
    });
    const current = ownContainer(run, name, "service");
    let id: string;
    if (current && current.labels[labels.spec] === spec) {
      id = current.id;
      if (current.state === "running") continue;
    } else {
      await beginChange(run);
      if (current) await removeContainer(run, current);
      id = await docker.createContainer({
        image: service.image,
        name,
        ...(service.command ? { cmd: service.command } : {}),
        labels: {
          ...run.deckyLabels,
          [labels.role]: "service",
          [labels.service]: service.name,
          [labels.spec]: spec,
          ...(service.log ? { [labels.log]: service.log } : {}),
        },
        networkMode: `container:${baseId}`,
        init: decky.init === "docker",
        cgroupns: "private",
        restartPolicy: "unless-stopped",
        limits: decky.limits,
        // Mail delivery may target any of the decky's containers: all share the spool.
        mounts: [deckyMailVolume(decky)].filter((m) => m !== null),
      });
      run.log.info("service container created", { service: service.name, id: id.slice(0, 12) });
    }
    await docker.startContainer(id);
    run.changed = true;
  }
  return names;
}

/**
 * The decky's sensor container (`<decky>-sensor`, see
 * {@linkcode sensorContainerSpec}) joined to the base's namespace: kept when
 * its spec label matches, else recreated, so a new decnet version (the image
 * tag) or event envelope version replaces it. Returns its name, or null when
 * every service has an operator image.
 */
async function ensureSensor(run: DeckyDeploy, baseId: string): Promise<string | null> {
  const { decky, labels, context: { docker } } = run;
  const sensor = sensorContainerSpec(decky);
  if (!sensor) return null;
  const spec = await digest({ ...sensor, base: baseId, limits: decky.limits });
  const current = ownContainer(run, sensor.name, "sensor");
  let id: string;
  if (current && current.labels[labels.spec] === spec) {
    id = current.id;
    if (current.state === "running") return sensor.name;
  } else {
    await beginChange(run);
    if (current) await removeContainer(run, current);
    // A new sensor gets a new relay key; the base's sshd moves to loopback and trusts only it,
    // and to its gated fleet port on the LAN address.
    const ssh = decky.services.find((s) => s.sensor && s.name === "ssh");
    const relayKey = ssh ? await generateRelayKey(`root@${decky.name}`) : null;
    const logins = (ssh?.sensor?.accept ?? []).map((a) => a.username);
    const lanAddress = relayKey
      ? await fleetSshAddress(docker, baseId, run.network.name).catch((e) => {
        run.log.warn("no ssh fleet port (the fleet's sessions go to the sensor)", { error: e });
        return undefined;
      })
      : undefined;
    const relay = relayKey
      ? await prepareSshRelay(docker, decky.name, relayKey, { logins, lanAddress })
      : false;
    const created = sensorContainerSpec(decky, { sshRelay: relay })!;
    id = await docker.createContainer({
      image: created.image,
      name: created.name,
      cmd: created.cmd,
      user: sensor.user,
      labels: { ...run.deckyLabels, [labels.role]: "sensor", [labels.spec]: spec },
      networkMode: `container:${baseId}`,
      cgroupns: "private",
      restartPolicy: "unless-stopped",
      mounts: created.mounts,
      limits: decky.limits,
    });
    if (relay) await installRelayKey(docker, id, relayKey!);
    run.log.info("sensor container created", { image: sensor.image, relay, id: id.slice(0, 12) });
  }
  await docker.startContainer(id);
  run.changed = true;
  return sensor.name;
}

/**
 * Hides the container tells from the inside of each container (see
 * {@linkcode hideContainerTells}); the base writes the files its services
 * share. Every deploy, changed or not: /etc/hosts comes back on each start.
 * Best effort: an image without a shell keeps its tells, and the log says so.
 */
async function hideTells(run: DeckyDeploy, containers: string[]): Promise<void> {
  const { decky } = run;
  for (const container of containers) {
    const base = container === decky.name;
    try {
      await hideContainerTells(run.context.docker, container, {
        ...(base ? { hosts: debianHostsFile(decky.name) } : {}),
        ...(base && decky.dns.length ? { resolvConf: debianResolvConf(decky.dns) } : {}),
      });
    } catch (e) {
      run.log.warn("container tells left visible", { container, error: e });
    }
  }
}

/** Removes this decky's containers not named in `wanted` (a service no longer listed). */
async function removeStale(run: DeckyDeploy, wanted: string[]): Promise<void> {
  for (const c of run.mine) {
    if (run.removed.has(c.id) || c.names.some((n) => wanted.includes(n))) continue;
    await removeContainer(run, c);
    run.log.info("stale container removed", { container: c.names[0] });
    run.changed = true;
  }
}

/** The not-yet-removed container called `name`; throws when it belongs to no or another decky. */
function ownContainer(
  run: DeckyDeploy,
  name: string,
  role: "base" | "service" | "sensor",
): ContainerSummary | undefined {
  const found = run.existing.find((c) => c.names.includes(name) && !run.removed.has(c.id));
  if (found && found.labels[run.labels.decky] !== run.decky.name) {
    throw new Error(
      `Cannot create ${role} container: the name is taken by another container, got "${name}"`,
    );
  }
  return found;
}

/** Records the decky `pending` before its first change of this deploy. */
async function beginChange(run: DeckyDeploy): Promise<void> {
  if (!run.changed) await recordDecky(run.context, { ...run.record, state: "pending" });
  run.changed = true;
}

async function removeContainer(run: DeckyDeploy, container: ContainerSummary): Promise<void> {
  await run.context.docker.removeContainer(container.id, { force: true });
  run.removed.add(container.id);
}

async function ensureNetwork(
  docker: DockerClient,
  network: NetworkSpec,
  context: FleetContext,
  labels: FleetLabelKeys,
): Promise<"created" | "exists"> {
  const found = (await docker.listNetworks()).find((n) => n.name === network.name);
  const internal = network.egress === "deny";
  if (found) {
    if (found.driver !== network.driver) {
      throw new Error(
        `Cannot use network ${network.name}: it exists with driver ${found.driver}, got "${network.driver}"`,
      );
    }
    if (found.internal !== internal) {
      throw new Error(
        `Cannot use network ${network.name}: it exists with egress ${
          found.internal ? "deny" : "allow"
        } (tear the fleet down to change it), got "${network.egress}"`,
      );
    }
    return "exists";
  }
  await docker.createNetwork({
    name: network.name,
    driver: network.driver,
    ...(network.subnet ? { subnet: network.subnet } : {}),
    ...(network.gateway ? { gateway: network.gateway } : {}),
    ...(network.interface && network.driver !== "bridge" ? { parent: network.interface } : {}),
    // Internal: no default route in the deckies; the LAN and the host's address on it stay reachable.
    internal,
    labels: { [labels.managed]: "true", [labels.host]: context.hostUuid },
  });
  context.log.info("network created", { network: network.name, driver: network.driver });
  return "created";
}

function containerNames(decky: DeckySpec): string[] {
  const sensor = sensorContainerSpec(decky);
  return [
    decky.name,
    ...decky.services.filter((s) => !s.sensor).map((s) => `${decky.name}-${s.name}`),
    ...(sensor ? [sensor.name] : []),
  ];
}

function failed(decky: DeckySpec, error: string): DeckyDeployResult {
  return {
    name: decky.name,
    status: "failed",
    state: "failed",
    ip: decky.ip,
    containers: containerNames(decky),
    error,
  };
}

async function digest(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
