import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { agentSubjects, requestAgentCommand, SwarmCommandError } from "../../../core/swarm/mod.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { spawnDecnet } from "../../infra/spawn_decnet.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

Deno.test({
  name: "decnet agent serve answers the master's commands and beats until SIGTERM",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    const handle = await openMigratedDatabase(`sqlite:${nats.home}/decnet.db`);
    const joined = await enrollAndJoin(createRepositories(handle).swarmHosts, nats.home, "alpha");
    await handle.close();
    const home = await Deno.makeTempDir({ prefix: "agent-serve-" });
    const env = { DECNET_LOG_LEVEL: "warn", DOCKER_HOST: `unix://${home}/absent.sock` };
    const master = await nats.connectMaster();
    try {
      await t.step("before joining it is a usage error", async () => {
        const run = await runDecnet(["agent", "serve"], { home, env });
        assert.equal(run.code, 2);
        assert.match(
          run.stderr,
          /Cannot serve: this host has not joined a swarm .*decnet agent join/,
        );
      });

      // What `decnet agent join` stores (its own test covers the join itself).
      await nats.writeAgentJoin(home, "alpha", joined.creds);

      const beats: string[] = [];
      master.subscribe(agentSubjects("alpha").heartbeat, {
        callback: (_e, m) => {
          beats.push(m.string());
        },
      });
      await master.flush();
      await using proc = spawnDecnet(["agent", "serve"], {
        cwd: home,
        env: { ...env, DECNET_HOME: home },
      });

      await t.step("it beats, then plans its decky of a fleet file", async () => {
        await waitUntil(() => beats.length > 0, { what: "a heartbeat", timeoutMs: 20_000 });
        assert.equal(JSON.parse(beats[0]).version.length > 0, true);
        const fleet = "[decky web-a]\nhost = alpha\nservices = ssh\nimage = x:1\n" +
          "[decky web-b]\nservices = ssh\nimage = x:1\n";
        const result = await requestAgentCommand(master, "alpha", "deploy", {
          fleet,
          dry_run: true,
        }) as { results: { name: string; status: string }[] };
        assert.deepEqual(result.results.map((r) => [r.name, r.status]), [["web-a", "planned"]]);
      });

      await t.step("an unreachable Docker is the agent's error, named", async () => {
        const result = await requestAgentCommand(master, "alpha", "teardown", { all: true }) as {
          error?: string;
        };
        assert.match(result.error ?? "", /Docker daemon unreachable/);
      });

      await t.step("SIGTERM stops it and the master then finds it offline", async () => {
        assert.equal((await proc.close()).code, 0);
        await assert.rejects(
          requestAgentCommand(master, "alpha", "teardown", { all: true }),
          (e: unknown) => e instanceof SwarmCommandError && e.failure === "offline",
        );
      });
    } finally {
      await master.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});
