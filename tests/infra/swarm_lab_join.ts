import type { SwarmLab } from "./swarm_lab.ts";

/**
 * Enrolls every agent of `lab` on its master (`decnet swarm enroll`) and
 * joins it over HTTPS across the lab's LAN (`decnet agent join`), as an
 * operator does; the master's API must be up.
 *
 * @throws {Error} naming the agent and the command's stderr when a step fails
 * @example
 * ```ts
 * import { startSwarmLab } from "./swarm_lab.ts";
 * import { joinSwarmLab } from "./swarm_lab_join.ts";
 * await using lab = await startSwarmLab(["alpha"]);
 * await using _master = lab.master.spawn(["up"]);
 * await joinSwarmLab(lab);
 * ```
 */
export async function joinSwarmLab(lab: SwarmLab): Promise<void> {
  for (const agent of lab.agents) {
    const enroll = await lab.master.decnet(["swarm", "enroll", agent.name, "--json"]);
    if (enroll.code !== 0) throw new Error(`Cannot enroll ${agent.name}: ${enroll.stderr}`);
    const join = await agent.decnet([
      "agent",
      "join",
      lab.master.apiUrl,
      "--token",
      JSON.parse(enroll.stdout).token,
      "--ca-file",
      lab.certs.caFile,
    ]);
    if (join.code !== 0) throw new Error(`Cannot join ${agent.name}: ${join.stderr}`);
  }
}
