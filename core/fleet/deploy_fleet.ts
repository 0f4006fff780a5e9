import { errorText } from "../log/mod.ts";
import type { DeckyState } from "../db/mod.ts";
import type { ContainerSummary, DockerExec } from "../docker/mod.ts";
import type { FleetContext } from "./fleet_context.ts";
import { type FleetLabelKeys, fleetLabelKeys } from "./fleet_labels.ts";
import type { DeckySpec, FleetSpec, NetworkSpec } from "./fleet_spec.ts";
import { debianHostsFile } from "./debian_hosts_file.ts";
import { debianResolvConf } from "./debian_resolv_conf.ts";
import { hideContainerTells } from "./hide_container_tells.ts";
import { recordDecky } from "./record_decky.ts";
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

async function deployDecky(
  decky: DeckySpec,
  network: NetworkSpec,
  context: FleetContext,
  extra: { labels: FleetLabelKeys; existing: ContainerSummary[]; options: DeployFleetOptions },
): Promise<DeckyDeployResult> {
  const { labels, options } = extra;
  const docker = context.docker;
  const mine = extra.existing.filter((c) => c.labels[labels.decky] === decky.name);
  const removed = new Set<string>();
  const byName = (name: string) =>
    extra.existing.find((c) => c.names.includes(name) && !removed.has(c.id));
  const record = {
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
  };
  const log = context.log.child(decky.name);
  try {
    const baseLabels = {
      [labels.managed]: "true",
      [labels.host]: context.hostUuid,
      [labels.decky]: decky.name,
      [labels.role]: "base",
    };
    const baseSpec = await digest({
      image: decky.baseImage,
      cmd: decky.baseCommand,
      network: network.name,
      ip: decky.ip,
      init: decky.init,
      dns: decky.dns,
      cgroupns: "private",
    });
    const wanted = [{ name: decky.name, spec: baseSpec }];
    const baseExisting = byName(decky.name);
    if (baseExisting && baseExisting.labels[labels.decky] !== decky.name) {
      throw new Error(
        `Cannot create base container: the name is taken by another container, got "${decky.name}"`,
      );
    }
    let changed = false;
    let baseId: string;
    if (baseExisting && baseExisting.labels[labels.spec] === baseSpec) {
      baseId = baseExisting.id;
    } else {
      await recordDecky(context, { ...record, state: "pending" });
      // A new base means a new namespace: every service container must join the new one.
      for (const c of mine) {
        await docker.removeContainer(c.id, { force: true });
        removed.add(c.id);
      }
      baseId = await docker.createContainer({
        image: decky.baseImage,
        name: decky.name,
        cmd: decky.baseCommand,
        hostname: decky.name,
        labels: { ...baseLabels, [labels.spec]: baseSpec },
        networkMode: network.name,
        ...(decky.ip ? { ipv4Address: decky.ip } : {}),
        init: decky.init === "docker",
        dns: decky.dns,
        cgroupns: "private",
        restartPolicy: "unless-stopped",
      });
      log.info("base container created", { id: baseId.slice(0, 12) });
      changed = true;
    }
    if (baseExisting?.state !== "running" || changed) {
      await docker.startContainer(baseId);
      changed = true;
    }
    for (const service of decky.services) {
      const name = `${decky.name}-${service.name}`;
      const spec = await digest({
        image: service.image,
        cmd: service.command,
        base: baseId,
        init: decky.init,
      });
      wanted.push({ name, spec });
      const current = byName(name);
      if (current && current.labels[labels.decky] !== decky.name) {
        throw new Error(
          `Cannot create service container: the name is taken by another container, got "${name}"`,
        );
      }
      let id: string;
      if (current && current.labels[labels.spec] === spec) {
        id = current.id;
        if (current.state === "running") continue;
      } else {
        if (!changed) await recordDecky(context, { ...record, state: "pending" });
        changed = true;
        if (current) {
          await docker.removeContainer(current.id, { force: true });
          removed.add(current.id);
        }
        id = await docker.createContainer({
          image: service.image,
          name,
          ...(service.command ? { cmd: service.command } : {}),
          labels: {
            ...baseLabels,
            [labels.role]: "service",
            [labels.service]: service.name,
            [labels.spec]: spec,
          },
          networkMode: `container:${baseId}`,
          init: decky.init === "docker",
          cgroupns: "private",
          restartPolicy: "unless-stopped",
        });
        log.info("service container created", { service: service.name, id: id.slice(0, 12) });
      }
      await docker.startContainer(id);
      changed = true;
    }
    for (const c of mine) {
      if (removed.has(c.id)) continue;
      if (!c.names.some((n) => wanted.some((w) => w.name === n))) {
        await docker.removeContainer(c.id, { force: true });
        log.info("stale container removed", { container: c.names[0] });
        changed = true;
      }
    }
    await hideTells(decky, context, log);
    const details = await docker.inspectContainer(baseId);
    const ip = details?.networks[network.name]?.ipAddress || decky.ip;
    const entry = await recordDecky(context, { ...record, ip, state: "running" });
    if (changed) log.info("decky deployed", { ip, services: record.services.join(",") });
    if (options.afterDeploy) {
      try {
        await options.afterDeploy(entry);
      } catch (e) {
        log.warn("after-deploy step failed (the decky stays up)", { error: e });
      }
    }
    return {
      name: decky.name,
      status: changed ? "deployed" : "unchanged",
      state: "running",
      ip,
      containers: containerNames(decky),
    };
  } catch (e) {
    log.error("decky deploy failed", { error: e });
    try {
      await recordDecky(context, { ...record, state: "failed" });
    } catch (writeError) {
      log.error("cannot record the failure", { error: writeError });
    }
    return failed(decky, errorText(e));
  }
}

// Every deploy, changed or not: /etc/hosts comes back on each container start.
// Best effort: an image without a shell keeps its tells, and the log says so.
async function hideTells(
  decky: DeckySpec,
  context: FleetContext,
  log: FleetContext["log"],
): Promise<void> {
  for (const container of containerNames(decky)) {
    const base = container === decky.name;
    try {
      await hideContainerTells(context.docker, container, {
        ...(base ? { hosts: debianHostsFile(decky.name) } : {}),
        ...(base && decky.dns.length ? { resolvConf: debianResolvConf(decky.dns) } : {}),
      });
    } catch (e) {
      log.warn("container tells left visible", { container, error: e });
    }
  }
}

async function ensureNetwork(
  docker: DockerExec,
  network: NetworkSpec,
  context: FleetContext,
  labels: FleetLabelKeys,
): Promise<"created" | "exists"> {
  const found = (await docker.listNetworks()).find((n) => n.name === network.name);
  if (found) {
    if (found.driver !== network.driver) {
      throw new Error(
        `Cannot use network ${network.name}: it exists with driver ${found.driver}, got "${network.driver}"`,
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
    labels: { [labels.managed]: "true", [labels.host]: context.hostUuid },
  });
  context.log.info("network created", { network: network.name, driver: network.driver });
  return "created";
}

function containerNames(decky: DeckySpec): string[] {
  return [decky.name, ...decky.services.map((s) => `${decky.name}-${s.name}`)];
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
