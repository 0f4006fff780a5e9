import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { openMasterSwarmLink } from "../../../core/orchestrator/master_swarm_link.ts";
import { serveAgentCommands, SwarmCommandError } from "../../../core/swarm/mod.ts";
import type { AgentCommandHandlers } from "../../../core/swarm/mod.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

const natsMissing = natsUnavailable() ?? opensslUnavailable();
const log = new Logger({ level: "error" });

Deno.test({
  name: "openMasterSwarmLink() commands agents as the master, and a nats-server that is away " +
    "is an offline host, not a crash",
  ignore: natsMissing !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await t.step("no swarm settings or no trust chain: no link", async () => {
      assert.equal(
        await openMasterSwarmLink({ home: nats.home, url: null, caFile: null, log }),
        null,
      );
      const empty = await Deno.makeTempDir();
      try {
        assert.equal(
          await openMasterSwarmLink({ home: empty, url: nats.url, caFile: nats.caFile, log }),
          null,
        );
        // It never makes a trust chain of its own.
        await assert.rejects(Deno.stat(`${empty}/swarm`), Deno.errors.NotFound);
      } finally {
        await Deno.remove(empty, { recursive: true });
      }
    });

    const handle = await openMigratedDatabase("sqlite::memory:");
    const a = await enrollAndJoin(createRepositories(handle).swarmHosts, nats.home, "alpha");
    await handle.close();
    const alpha = await nats.connectAgent("alpha", a.creds);
    const handlers = {
      survey: (args: { decky: string; container: string }) =>
        Promise.resolve({ output: `asked for ${args.container}`, marker: "0".repeat(16) }),
    } as unknown as AgentCommandHandlers;
    await using _server = serveAgentCommands(alpha, "alpha", handlers, { log });
    await alpha.flush();
    await using link = await openMasterSwarmLink({
      home: nats.home,
      url: nats.url,
      caFile: nats.caFile,
      log,
    });
    assert.ok(link);
    try {
      await t.step("a command reaches the agent as the master's", async () => {
        assert.deepEqual(
          await link.request("alpha", "survey", { decky: "ws-01", container: "ws-01-ssh" }, {
            timeoutMs: 10_000,
          }),
          { output: "asked for ws-01-ssh", marker: "0000000000000000" },
        );
      });
      await t.step("nats-server away: each command is an offline host, named", async () => {
        await nats.server.kill();
        const offline = async () =>
          await assert.rejects(
            link.request("alpha", "survey", { decky: "ws-01", container: "ws-01-ssh" }, {
              timeoutMs: 2_000,
            }),
            (e: unknown) => {
              assert.ok(e instanceof SwarmCommandError, String(e));
              assert.equal(e.host, "alpha");
              assert.ok(["offline", "timeout"].includes(e.failure), e.message);
              return true;
            },
          );
        await offline();
        await offline();
      });
    } finally {
      await alpha.close();
    }
  },
});
