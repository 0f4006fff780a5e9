import assert from "node:assert/strict";
import { requireAgentSwarm, SwarmNotJoinedError } from "../../../core/swarm/mod.ts";

Deno.test("requireAgentSwarm() names the missing agent.json, and an unreadable one, as SwarmNotJoinedError", async () => {
  const home = await Deno.makeTempDir();
  try {
    await assert.rejects(
      requireAgentSwarm(home, "start the agent collector"),
      (e) =>
        e instanceof SwarmNotJoinedError &&
        e.message ===
          `Cannot start the agent collector: this host has not joined a swarm (no ${home}/swarm/agent.json): run decnet agent join first`,
    );
    await Deno.mkdir(`${home}/swarm`);
    await Deno.writeTextFile(`${home}/swarm/agent.json`, "{not json");
    await Deno.writeTextFile(`${home}/swarm/agent.creds`, "creds");
    await assert.rejects(
      requireAgentSwarm(home, "serve the swarm"),
      (e) =>
        e instanceof SwarmNotJoinedError &&
        e.message === `Cannot serve the swarm: Cannot read ${home}/swarm/agent.json: expected JSON`,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
