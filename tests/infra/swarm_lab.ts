// A swarm on one machine: the master's namespace runs nats-server (TLS, JetStream, the
// configuration `decnet swarm nats-config` renders) and MariaDB; each agent's namespace has
// its own dockerd with the test image loaded. The test drives decnet in each namespace.
import { openDocker } from "../../core/docker/mod.ts";
import { type DockerDaemon, dockerdUnavailable, startDockerd } from "./dockerd.ts";
import { freePort } from "./free_port.ts";
import { type MariaDbServer, mariaDbUnavailable, startMariaDb } from "./mariadb.ts";
import { type NatsServer, natsUnavailable, startNats } from "./nats.ts";
import { netnsUnavailable } from "./run_ip.ts";
import { type DecnetRun, runDecnet } from "./run_decnet.ts";
import { type DecnetProcess, spawnDecnet } from "./spawn_decnet.ts";
import {
  createSwarmLabNetwork,
  type SwarmLabAgentHost,
  type SwarmLabNetwork,
} from "./swarm_lab_network.ts";
import {
  makeTestCertificates,
  opensslUnavailable,
  type TestCertificates,
} from "./test_certificates.ts";
import { buildTestImage } from "./test_image.ts";

/** An agent of the lab: its namespace, its own dockerd and its DECNET_HOME. */
export interface SwarmLabAgent extends SwarmLabAgentHost {
  dockerd: DockerDaemon;
  home: string;
  /** Its environment for decnet (DECNET_HOME, DOCKER_HOST, ...). */
  env: Record<string, string>;
  /** Runs `decnet ARGS` in the agent's namespace with its environment. */
  decnet(args: string[], env?: Record<string, string>): Promise<DecnetRun>;
  /** Starts `decnet ARGS` in the agent's namespace with its environment. */
  spawn(args: string[], env?: Record<string, string>): DecnetProcess;
}

/** The lab: see {@linkcode startSwarmLab}. */
export interface SwarmLab extends AsyncDisposable {
  network: SwarmLabNetwork;
  certs: TestCertificates;
  nats: NatsServer;
  mariadb: MariaDbServer;
  master: {
    ns: string;
    home: string;
    /** The master's environment: MariaDB, the swarm's nats-server, HTTPS API on all addresses. */
    env: Record<string, string>;
    /** https://<master's LAN address>:<port>: where agents join. */
    apiUrl: string;
    /** The same API as this (the test's) namespace reaches it. */
    apiUrlFromTest: string;
    /** tls://<address>:<port> of nats-server as this namespace reaches it. */
    natsUrlFromTest: string;
    decnet(args: string[], env?: Record<string, string>): Promise<DecnetRun>;
    spawn(args: string[], env?: Record<string, string>): DecnetProcess;
  };
  agents: SwarmLabAgent[];
  close(): Promise<void>;
}

/** The admin password of the lab's master. */
export const SWARM_LAB_ADMIN_PASSWORD = "correct horse battery staple 42";

/** Why the lab cannot be built here, or undefined when it can. */
export function swarmLabUnavailable(): string | undefined {
  return netnsUnavailable() ?? natsUnavailable() ?? opensslUnavailable() ??
    mariaDbUnavailable() ?? dockerdUnavailable();
}

/**
 * Builds the lab for agents `agentNames`: the namespaces (see swarm_lab_network.ts), a CA
 * and a certificate naming the master's addresses, nats-server configured by
 * `decnet swarm nats-config` and MariaDB in the master's namespace, and per agent a
 * dockerd in its namespace holding the test image. `close()` stops and removes all of it.
 *
 * @example
 * ```ts
 * import { startSwarmLab } from "./swarm_lab.ts";
 * await using lab = await startSwarmLab(["alpha", "bravo"]);
 * await using master = lab.master.spawn(["api"]);
 * ```
 */
export async function startSwarmLab(agentNames: string[]): Promise<SwarmLab> {
  const dir = await Deno.makeTempDir({ prefix: "swarm-lab-" });
  // Closers, run last first: each part goes even when an earlier one fails to.
  const stack: (() => Promise<void>)[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const closeOne of stack.reverse()) await closeOne().catch((e) => errors.push(e));
    stack.length = 0;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    if (errors.length > 0) throw new AggregateError(errors, "Cannot clean the swarm lab up");
  };
  try {
    const network = await createSwarmLabNetwork(agentNames);
    stack.push(network.close);
    const master = network.master;
    const certs = await makeTestCertificates(dir, {
      addresses: [master.address, master.hostLinkAddress],
    });
    const home = `${dir}/master`;
    await Deno.mkdir(home);
    const natsPort = freePort();
    const apiPort = freePort();
    const mariadb = await startMariaDb({ netns: master.ns });
    stack.push(mariadb.close);
    const env = {
      DECNET_MODE: "master",
      DECNET_DB_URL: await mariadb.createDatabase("decnet"),
      DECNET_SWARM_NATS_URL: `tls://${master.address}:${natsPort}`,
      DECNET_SWARM_NATS_CA: certs.caFile,
      DECNET_API_TLS_CERT: certs.certFile,
      DECNET_API_TLS_KEY: certs.keyFile,
      DECNET_API_BIND: "0.0.0.0",
      DECNET_API_PORT: String(apiPort),
      DECNET_ADMIN_PASSWORD: SWARM_LAB_ADMIN_PASSWORD,
      DECNET_LOG_LEVEL: "warn",
    };
    const masterDecnet = (args: string[], extra: Record<string, string> = {}) =>
      runDecnet(args, { home, env: { ...env, ...extra }, netns: master.ns });
    const rendered = await masterDecnet([
      "swarm",
      "nats-config",
      "--cert",
      certs.certFile,
      "--key",
      certs.keyFile,
      "--listen",
      `0.0.0.0:${natsPort}`,
      "--data-dir",
      `${dir}/nats`,
      "-o",
      `${dir}/nats.conf`,
    ]);
    if (rendered.code !== 0) throw new Error(`decnet swarm nats-config failed: ${rendered.stderr}`);
    const nats = await startNats({
      configFile: `${dir}/nats.conf`,
      port: natsPort,
      netns: master.ns,
    });
    stack.push(nats.close);
    // Agents start side by side; every one settles before an error is thrown, so each
    // dockerd that started is on the stack when the lab is closed.
    const started = await Promise.allSettled(network.agents.map(async (host) => {
      const dockerd = await startDockerd({ netns: host.ns });
      stack.push(async () => {
        try {
          await removeContainers(dockerd);
        } finally {
          await dockerd.close();
        }
      });
      await using docker = openDocker({ dockerHost: dockerd.dockerHost });
      await buildTestImage(docker);
      const agentHome = `${dir}/agent-${host.name}`;
      await Deno.mkdir(agentHome);
      const agentEnv = {
        DECNET_MODE: "agent",
        DOCKER_HOST: dockerd.dockerHost,
        DECNET_LOG_LEVEL: "warn",
      };
      const agent: SwarmLabAgent = {
        ...host,
        dockerd,
        home: agentHome,
        env: { ...agentEnv, DECNET_HOME: agentHome },
        decnet: (args, extra = {}) =>
          runDecnet(args, { home: agentHome, env: { ...agentEnv, ...extra }, netns: host.ns }),
        spawn: (args, extra = {}) =>
          spawnDecnet(args, {
            cwd: agentHome,
            env: { ...agentEnv, DECNET_HOME: agentHome, ...extra },
            netns: host.ns,
          }),
      };
      return agent;
    }));
    const agents = started.map((s) => {
      if (s.status === "rejected") throw s.reason;
      return s.value;
    });
    return {
      network,
      certs,
      nats,
      mariadb,
      master: {
        ns: master.ns,
        home,
        env,
        apiUrl: `https://${master.address}:${apiPort}`,
        apiUrlFromTest: `https://${master.hostLinkAddress}:${apiPort}`,
        natsUrlFromTest: `tls://${master.hostLinkAddress}:${natsPort}`,
        decnet: masterDecnet,
        spawn: (args, extra = {}) =>
          spawnDecnet(args, {
            cwd: home,
            env: { ...env, DECNET_HOME: home, ...extra },
            netns: master.ns,
          }),
      },
      agents,
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (e) {
    // The setup's own error is the one to report.
    await close().catch(() => {});
    throw e;
  }
}

/** Removes every container, so dockerd stops with nothing mounted or running. */
async function removeContainers(dockerd: DockerDaemon): Promise<void> {
  await using docker = openDocker({ dockerHost: dockerd.dockerHost });
  for (const c of await docker.listContainers({ all: true })) {
    await docker.removeContainer(c.id, { force: true });
  }
}
