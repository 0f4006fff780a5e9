import { buildOrCleanUp } from "./build_or_clean_up.ts";
import { type IpOutput, mustRunIp, runIp } from "./run_ip.ts";

/** One namespace of the swarm lab. */
export interface SwarmLabHost {
  /** The network namespace's name. */
  ns: string;
  /** Its address on the swarm LAN (the master's bridge). */
  address: string;
  /** Runs argv inside the namespace (`ip netns exec`) and waits for it. */
  run(argv: string[]): Promise<IpOutput>;
}

/** An agent's namespace, with the link it reaches the master by. */
export interface SwarmLabAgentHost extends SwarmLabHost {
  name: string;
  /** Takes the agent's link down (a partition) or up again (healed). */
  setLinkUp(up: boolean): Promise<void>;
}

/** The master's namespace and one namespace per agent, on a LAN of their own. */
export interface SwarmLabNetwork extends AsyncDisposable {
  master: SwarmLabHost & {
    /** The master's address on its link to this (the test's) namespace. */
    hostLinkAddress: string;
  };
  agents: SwarmLabAgentHost[];
  close(): Promise<void>;
}

/** The swarm LAN inside the master's namespace: private to the lab, so it is fixed. */
const LAN = "10.207.0";

/**
 * Creates a master namespace holding a bridge (the swarm LAN, 10.207.0.0/24,
 * master .1) with one veth per agent namespace (.2, .3, ...), and a veth
 * from this namespace to the master on a random /30 of 10.206.0.0/16, so
 * the test reaches the master's API and nats-server while the agents reach
 * only the master. `close()` deletes every namespace and link.
 *
 * @example
 * ```ts
 * import { createSwarmLabNetwork } from "./swarm_lab_network.ts";
 * await using net = await createSwarmLabNetwork(["alpha", "bravo"]);
 * await net.agents[0].run(["ping", "-c1", net.master.address]);
 * ```
 */
export async function createSwarmLabNetwork(agentNames: string[]): Promise<SwarmLabNetwork> {
  const id = crypto.getRandomValues(new Uint16Array(1))[0] & 0x3fff;
  const masterNs = `swm${id}`;
  const bridge = `swb${id}`;
  const hostEnd = `swh${id}`;
  const base = id * 4;
  const linkPrefix = `10.206.${base >> 8}.`;
  const hostAddress = `${linkPrefix}${(base & 0xff) + 1}`;
  const hostLinkAddress = `${linkPrefix}${(base & 0xff) + 2}`;
  const run = (ns: string) => (argv: string[]) => runIp(["netns", "exec", ns, ...argv]);
  const agents: SwarmLabAgentHost[] = agentNames.map((name, i) => {
    const ns = `swa${id}n${i}`;
    const masterEnd = `swp${id}n${i}`;
    return {
      name,
      ns,
      address: `${LAN}.${i + 2}`,
      run: run(ns),
      setLinkUp: (up) => mustRunIp(["-n", masterNs, "link", "set", masterEnd, up ? "up" : "down"]),
    };
  });
  const cleanup = async () => {
    // Deleting a namespace deletes the veth ends inside it, and with them their peers.
    await runIp(["link", "del", hostEnd]);
    for (const agent of agents) await runIp(["netns", "del", agent.ns]);
    await runIp(["netns", "del", masterNs]);
  };
  const close = await buildOrCleanUp(async () => {
    await mustRunIp(["netns", "add", masterNs]);
    await mustRunIp(["-n", masterNs, "link", "set", "lo", "up"]);
    await mustRunIp([
      "link",
      "add",
      hostEnd,
      "type",
      "veth",
      "peer",
      "name",
      "uplink",
      "netns",
      masterNs,
    ]);
    await mustRunIp(["addr", "add", `${hostAddress}/30`, "dev", hostEnd]);
    await mustRunIp(["link", "set", hostEnd, "up"]);
    await mustRunIp(["-n", masterNs, "addr", "add", `${hostLinkAddress}/30`, "dev", "uplink"]);
    await mustRunIp(["-n", masterNs, "link", "set", "uplink", "up"]);
    await mustRunIp(["-n", masterNs, "link", "add", bridge, "type", "bridge"]);
    await mustRunIp(["-n", masterNs, "addr", "add", `${LAN}.1/24`, "dev", bridge]);
    await mustRunIp(["-n", masterNs, "link", "set", bridge, "up"]);
    for (const [i, agent] of agents.entries()) {
      const masterEnd = `swp${id}n${i}`;
      await mustRunIp(["netns", "add", agent.ns]);
      await mustRunIp(["-n", agent.ns, "link", "set", "lo", "up"]);
      await mustRunIp([
        "-n",
        masterNs,
        "link",
        "add",
        masterEnd,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        agent.ns,
      ]);
      await mustRunIp(["-n", masterNs, "link", "set", masterEnd, "master", bridge]);
      await mustRunIp(["-n", masterNs, "link", "set", masterEnd, "up"]);
      await mustRunIp(["-n", agent.ns, "addr", "add", `${agent.address}/24`, "dev", "eth0"]);
      await mustRunIp(["-n", agent.ns, "link", "set", "eth0", "up"]);
    }
  }, cleanup);
  return {
    master: { ns: masterNs, address: `${LAN}.1`, hostLinkAddress, run: run(masterNs) },
    agents,
    close,
    [Symbol.asyncDispose]: close,
  };
}
