import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  createRepositories,
  migrateToLatest,
  openDatabase,
  openMigratedDatabase,
} from "../../../core/db/mod.ts";
import { type DockerClient, openDocker } from "../../../core/docker/mod.ts";
import {
  agentCommandHandlers,
  agentFleetRows,
  type FleetContext,
  StateFile,
} from "../../../core/fleet/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import {
  agentSubjects,
  encodeBase64,
  requestAgentCommand,
  serveAgentCommands,
  SwarmCommandError,
} from "../../../core/swarm/mod.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import type { SwarmNats } from "../../infra/swarm_nats.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { buildTestImage, TEST_IMAGE } from "../../infra/test_image.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

const natsMissing = natsUnavailable() ?? opensslUnavailable();
// A /24 no other test uses, so a stale bridge of an earlier run cannot shadow it.
const LAN = `10.233.${crypto.getRandomValues(new Uint8Array(1))[0]}`;

/** A fleet with one decky on alpha, one on bravo and one on the master. */
const FLEET = `
[network]
name = swarmlan
subnet = ${LAN}.0/24
gateway = ${LAN}.1

[defaults]
image = ${TEST_IMAGE}
base_image = ${TEST_IMAGE}
services = ssh
command.ssh = sleep 2147483647

[decky web-a]
host = alpha

[decky web-b]
host = bravo

[decky web-m]
`;

const TOKEN = {
  callback_token: "AAAAAAAAAAAAAAAAAAAAAA",
  http_base: "http://192.0.2.7:8080",
  dns_zone: "canary.example",
  persona: JSON.stringify({ os: "linux", login: "user", name: "Ann User" }),
  created_at: "2026-11-30T09:00:00.000Z",
  placement_path: "/home/user/.aws/credentials",
};

/** The master's and both agents' connections to a swarm nats-server over TLS. */
async function swarm(nats: SwarmNats) {
  const handle = await openDatabase("sqlite::memory:");
  assert.equal((await migrateToLatest(handle)).error, undefined);
  const { swarmHosts } = createRepositories(handle);
  const a = await enrollAndJoin(swarmHosts, nats.home, "alpha");
  const b = await enrollAndJoin(swarmHosts, nats.home, "bravo");
  const master = await nats.connectMaster();
  const alpha = await nats.connectAgent("alpha", a.creds);
  const bravo = await nats.connectAgent("bravo", b.creds);
  const close = async () => {
    for (const nc of [alpha, bravo, master]) await nc.close().catch(() => {});
    await handle.close();
  };
  return { master, alpha, bravo, close, [Symbol.asyncDispose]: close };
}

function agentContext(docker: DockerClient, home: string, name: string): FleetContext {
  const now = () => new Date();
  return {
    hostUuid: name,
    docker,
    fleet: agentFleetRows(now),
    stateFile: new StateFile(home, name),
    log: new Logger({ level: "error" }),
    now,
  };
}

/** A raw request on `subject`, as a master that skips every check would send it. */
async function rawRequest(nc: NatsConnection, subject: string, body: unknown) {
  const msg = await nc.request(
    subject,
    typeof body === "string" ? body : JSON.stringify(body),
    { timeout: 10_000 },
  );
  return msg.json<{ id: string; ok: boolean; error?: string; result?: unknown }>();
}

Deno.test({
  name: "an agent refuses bad, misaddressed and unknown commands naming the field, and an " +
    "offline or silent agent is an error naming the host",
  ignore: natsMissing !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await using s = await swarm(nats);
    const home = await Deno.makeTempDir({ prefix: "swarm-agent-" });
    // No Docker: every command below is refused before any handler runs Docker.
    const docker = openDocker({ dockerHost: `unix://${home}/absent.sock` });
    await using _server = serveAgentCommands(
      s.alpha,
      "alpha",
      agentCommandHandlers(agentContext(docker, home, "alpha"), { name: "alpha" }),
      { log: new Logger({ level: "error" }) },
    );
    await s.alpha.flush();
    try {
      await t.step("a bad payload is refused naming the field", async () => {
        const { created_at: _, ...token } = TOKEN;
        const reply = await rawRequest(s.master, "decnet.cmd.alpha.plant", {
          id: "c1",
          host: "alpha",
          args: {
            decky: { name: "web-a" },
            token,
            artifact: { bytes: "aGk=", mode: 0o600, modified_at: "2026-11-30T09:00:00Z" },
          },
        });
        assert.equal(reply.id, "c1");
        assert.equal(reply.ok, false);
        assert.match(reply.error!, /Bad plant command: args\.token\.created_at: /);
        const mode = await rawRequest(s.master, "decnet.cmd.alpha.file", {
          id: "c2",
          host: "alpha",
          args: {
            op: "write",
            decky: "web-a",
            container: "web-a-ssh",
            path: "relative/x",
            bytes: "aGk=",
            mtime: "2026-11-30T09:00:00Z",
          },
        });
        assert.match(mode.error!, /Bad file command: args\.path: expected an absolute path/);
        const envelope = await rawRequest(s.master, "decnet.cmd.alpha.teardown", {
          id: "c3",
          args: { all: true },
        });
        assert.match(envelope.error!, /Bad teardown command: host: /);
        const empty = await rawRequest(s.master, "decnet.cmd.alpha.teardown", {
          id: "c4",
          host: "alpha",
          args: {},
        });
        assert.match(
          empty.error!,
          /args\.deckies: expected all = true or a non-empty deckies list/,
        );
        const notJson = await rawRequest(s.master, "decnet.cmd.alpha.deploy", "{not json");
        assert.deepEqual(notJson, {
          id: "unknown",
          ok: false,
          error: "SyntaxError: Bad deploy command: expected JSON",
        });
        const verb = await rawRequest(s.master, "decnet.cmd.alpha.format", { id: "c5" });
        assert.match(verb.error!, /Unknown command "format": expected one of deploy, teardown/);
      });

      await t.step("through requestAgentCommand the agent's refusal names the host", async () => {
        await assert.rejects(
          requestAgentCommand(s.master, "alpha", "revoke", {
            decky: { name: "web-z" },
            token: TOKEN,
          }),
          (e: unknown) => {
            assert.ok(e instanceof SwarmCommandError);
            assert.deepEqual([e.host, e.verb, e.failure], ["alpha", "revoke", "refused"]);
            assert.equal(
              e.message,
              "Cannot revoke on swarm host alpha: RangeError: Cannot act on decky web-z: " +
                "this agent does not run it",
            );
            return true;
          },
        );
      });

      await t.step(
        "the master checks a command before sending it, naming host and field",
        async () => {
          await assert.rejects(
            requestAgentCommand(s.master, "alpha", "teardown", { deckies: ["../etc"] }),
            (e: unknown) => {
              assert.ok(e instanceof SwarmCommandError);
              assert.equal(e.failure, "bad_request");
              assert.equal(
                e.message,
                "Cannot teardown on swarm host alpha: Bad teardown command: args.deckies.0: " +
                  "expected a decky name",
              );
              return true;
            },
          );
        },
      );

      await t.step("a command over nats-server's payload limit fails naming the host", async () => {
        const big = encodeBase64(new Uint8Array(600 * 1024));
        await assert.rejects(
          requestAgentCommand(s.master, "alpha", "plant", {
            decky: { name: "web-a" },
            token: TOKEN,
            artifact: {
              bytes: big,
              mode: 0o600,
              modified_at: "2026-11-02T10:11:12.000Z",
              companions: {
                anchor: ".aws/credentials",
                files: [{ path: "config", bytes: big, mode: 0o600, modified_at: TOKEN.created_at }],
              },
            },
          }),
          (e: unknown) => {
            assert.ok(e instanceof SwarmCommandError);
            assert.equal(e.failure, "failed");
            assert.match(e.message, /^Cannot plant on swarm host alpha: .*payload/i);
            return true;
          },
        );
      });

      await t.step("a command addressed to another agent is refused", async () => {
        const reply = await rawRequest(s.master, "decnet.cmd.alpha.teardown", {
          id: "c6",
          host: "bravo",
          args: { all: true },
        });
        assert.deepEqual(reply, {
          id: "c6",
          ok: false,
          error: "Refused teardown command: addressed to bravo, this agent is alpha",
        });
      });

      await t.step("an agent cannot hear or answer another agent's commands", async () => {
        const sub = s.bravo.subscribe("decnet.cmd.alpha.>");
        assert.match(
          String(await sub.closed),
          /Permissions Violation for Subscription to "decnet\.cmd\.alpha\.>"/,
        );
        // Only alpha answers alpha's commands: bravo's attempt never reached them.
        const reply = await rawRequest(s.master, "decnet.cmd.alpha.teardown", {
          id: "c7",
          host: "bravo",
          args: { all: true },
        });
        assert.match(reply.error!, /this agent is alpha/);
      });

      await t.step("a host with no agent connected is offline, named", async () => {
        for (const host of ["bravo", "charlie"]) {
          await assert.rejects(
            requestAgentCommand(s.master, host, "teardown", { all: true }, { timeoutMs: 10_000 }),
            (e: unknown) => {
              assert.ok(e instanceof SwarmCommandError);
              assert.equal(e.failure, "offline");
              assert.equal(
                e.message,
                `Cannot teardown on swarm host ${host}: no agent answers (offline, not joined or revoked)`,
              );
              return true;
            },
          );
        }
      });

      await t.step("an agent that hears but never answers is a timeout, named", async () => {
        const silent = s.bravo.subscribe(agentSubjects("bravo").commands);
        await s.bravo.flush();
        await assert.rejects(
          requestAgentCommand(s.master, "bravo", "deploy", { fleet: FLEET }, { timeoutMs: 300 }),
          (e: unknown) => {
            assert.ok(e instanceof SwarmCommandError);
            assert.equal(e.failure, "timeout");
            assert.equal(e.message, "Cannot deploy on swarm host bravo: no reply within 300 ms");
            return true;
          },
        );
        silent.unsubscribe();
      });
    } finally {
      await docker.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "an enrolled agent deploys its deckies, plants and revokes bait and writes files on " +
    "the master's command, on its own dockerd",
  ignore: natsMissing !== undefined || dockerdUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await using s = await swarm(nats);
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    const home = await Deno.makeTempDir({ prefix: "swarm-agent-" });
    const context = agentContext(docker, home, "alpha");
    const server = serveAgentCommands(
      s.alpha,
      "alpha",
      agentCommandHandlers(context, { name: "alpha" }),
      { log: new Logger({ level: "error" }) },
    );
    await s.alpha.flush();
    const cat = async (container: string, path: string) => {
      const r = await docker.exec(container, ["cat", path], {});
      return { code: r.exitCode, text: new TextDecoder().decode(r.stdout) };
    };
    try {
      await t.step("deploy brings up only the deckies the fleet places on alpha", async () => {
        const result = await requestAgentCommand(s.master, "alpha", "deploy", { fleet: FLEET }, {
          timeoutMs: 55_000,
        }) as { results: { name: string; status: string }[]; error?: string };
        assert.equal(result.error, undefined);
        assert.deepEqual(result.results.map((r) => [r.name, r.status]), [["web-a", "deployed"]]);
        const names = (await docker.listContainers({ all: true })).flatMap((c) => c.names).sort();
        assert.deepEqual(names, ["web-a", "web-a-ssh"]);
        assert.deepEqual((await context.stateFile.read()).map((d) => [d.name, d.state]), [
          ["web-a", "running"],
        ]);
      });

      await t.step(
        "plant puts the bait in the decky's shell container as its persona",
        async () => {
          const bytes = new TextEncoder().encode("[default]\naws_access_key_id = AKIAEXAMPLE\n");
          const result = await requestAgentCommand(s.master, "alpha", "plant", {
            decky: { name: "web-a" },
            token: TOKEN,
            artifact: {
              bytes: encodeBase64(bytes),
              mode: 0o600,
              modified_at: "2026-11-02T10:11:12.000Z",
            },
          });
          assert.deepEqual(result, { path: TOKEN.placement_path });
          assert.deepEqual(await cat("web-a-ssh", TOKEN.placement_path), {
            code: 0,
            text: "[default]\naws_access_key_id = AKIAEXAMPLE\n",
          });
          const stat = await docker.exec(
            "web-a-ssh",
            ["stat", "-c", "%U %a", TOKEN.placement_path],
            {},
          );
          assert.equal(new TextDecoder().decode(stat.stdout).trim(), "user 600");
        },
      );

      await t.step("revoke takes the bait out again", async () => {
        assert.deepEqual(
          await requestAgentCommand(s.master, "alpha", "revoke", {
            decky: { name: "web-a" },
            token: TOKEN,
          }),
          { removed: true },
        );
        assert.notEqual((await cat("web-a-ssh", TOKEN.placement_path)).code, 0);
      });

      await t.step("the orchestrator's file write lands in the decky", async () => {
        const result = await requestAgentCommand(s.master, "alpha", "file", {
          op: "write",
          decky: "web-a",
          container: "web-a-ssh",
          path: "/home/user/notes/todo.txt",
          bytes: encodeBase64(new TextEncoder().encode("call the bank\n")),
          mtime: "2026-11-20T08:00:00.000Z",
          owner: "user",
        }) as { ok: boolean; owned: boolean };
        assert.equal(result.ok, true);
        assert.equal(result.owned, true);
        assert.equal((await cat("web-a-ssh", "/home/user/notes/todo.txt")).text, "call the bank\n");
        await assert.rejects(
          requestAgentCommand(s.master, "alpha", "file", {
            op: "write",
            decky: "web-a",
            container: "other-box",
            path: "/tmp/x",
            bytes: "",
            mtime: "2026-11-20T08:00:00.000Z",
          }),
          /Cannot file on swarm host alpha: RangeError: Cannot act on container other-box: expected one of decky web-a's \(web-a, web-a-ssh\)/,
        );
      });

      await t.step("teardown removes the agent's deckies", async () => {
        const result = await requestAgentCommand(s.master, "alpha", "teardown", { all: true }, {
          timeoutMs: 55_000,
        }) as { results: { name: string; status: string }[] };
        assert.deepEqual(result.results.map((r) => [r.name, r.status]), [["web-a", "removed"]]);
        assert.deepEqual(await docker.listContainers({ all: true }), []);
      });
    } finally {
      await server.close();
      // dockerd leaves its bridges on the host when stopped: remove them first.
      for (const c of await docker.listContainers({ all: true })) {
        await docker.removeContainer(c.id, { force: true });
      }
      for (const n of await docker.listNetworks()) {
        if (n.driver === "bridge" && n.subnets.length) await docker.removeNetwork(n.id);
      }
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "decnet deploy sends each swarm host its deckies, names an offline host and refuses " +
    "an unknown one",
  ignore: natsMissing !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    // The master's home holds the trust chain startSwarmNats made; the CLI finds it there.
    const env = {
      DECNET_DB_URL: `sqlite:${nats.home}/decnet.db`,
      DECNET_SWARM_NATS_URL: nats.url,
      DECNET_SWARM_NATS_CA: nats.caFile,
      DECNET_LOG_LEVEL: "error",
    };
    const handle = await openMigratedDatabase(env.DECNET_DB_URL);
    const { swarmHosts } = createRepositories(handle);
    const a = await enrollAndJoin(swarmHosts, nats.home, "alpha");
    await enrollAndJoin(swarmHosts, nats.home, "bravo");
    await handle.close();
    const alpha = await nats.connectAgent("alpha", a.creds);
    const agentHome = await Deno.makeTempDir({ prefix: "swarm-agent-" });
    // A dry run touches no Docker, on the master or the agent.
    const docker = openDocker({ dockerHost: `unix://${agentHome}/absent.sock` });
    const server = serveAgentCommands(
      alpha,
      "alpha",
      agentCommandHandlers(agentContext(docker, agentHome, "alpha"), { name: "alpha" }),
      { log: new Logger({ level: "error" }) },
    );
    await alpha.flush();
    const fleet = `${nats.home}/fleet.ini`;
    try {
      await t.step("alpha plans its decky, the master its own, bravo is offline", async () => {
        await Deno.writeTextFile(fleet, FLEET);
        const run = await runDecnet(["deploy", "--config", fleet, "--dry-run", "--json"], {
          home: nats.home,
          env,
        });
        assert.equal(run.code, 1, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.deepEqual(
          out.items.map((i: { name: string; host: string | null; status: string }) => [
            i.name,
            i.host,
            i.status,
          ]),
          [["web-m", null, "planned"], ["web-a", "alpha", "planned"]],
        );
        assert.equal(
          out.error,
          "SwarmCommandError: Cannot deploy on swarm host bravo: no agent answers " +
            "(offline, not joined or revoked)",
        );
        assert.match(run.stderr, /Deploy incomplete: .*swarm host bravo/);
      });

      await t.step("a real deploy the agent cannot carry out is reported and audited", async () => {
        // Only alpha's decky; alpha's Docker is unreachable, so its deploy fails there.
        await Deno.writeTextFile(fleet, FLEET.split("[decky web-b]")[0]);
        const run = await runDecnet(["deploy", "--config", fleet, "--json"], {
          home: nats.home,
          env,
        });
        assert.equal(run.code, 1, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.deepEqual(out.items, []);
        assert.match(
          out.error,
          /^On swarm host alpha: DockerUnreachableError: Cannot list networks: Docker daemon unreachable/,
        );
        await using db = await openMigratedDatabase(env.DECNET_DB_URL);
        const { items } = await createRepositories(db).audit.list({
          action: "fleet.deployed",
          limit: 10,
          offset: 0,
        });
        assert.equal(items.length, 1);
        assert.equal(items[0].outcome, "failure");
        assert.equal(items[0].target, "alpha");
        assert.equal(JSON.parse(items[0].detail).host, "alpha");
      });

      await t.step("a host nobody enrolled is a usage error naming decky and host", async () => {
        await Deno.writeTextFile(fleet, FLEET.replace("host = bravo", "host = charlie"));
        const run = await runDecnet(["deploy", "--config", fleet, "--dry-run"], {
          home: nats.home,
          env,
        });
        assert.equal(run.code, 2);
        assert.match(
          run.stderr,
          /key "host": expected an enrolled swarm host for decky web-b \(enrolled: alpha, bravo\), got "charlie"/,
        );
      });

      await t.step(
        "without the swarm's NATS settings a hosted decky is a usage error",
        async () => {
          await Deno.writeTextFile(fleet, FLEET);
          const run = await runDecnet(["deploy", "--config", fleet, "--dry-run"], {
            home: nats.home,
            env: { DECNET_DB_URL: env.DECNET_DB_URL, DECNET_LOG_LEVEL: "error" },
          });
          assert.equal(run.code, 2);
          assert.match(
            run.stderr,
            /Cannot deploy on swarm hosts alpha, bravo: DECNET_SWARM_NATS_URL and DECNET_SWARM_NATS_CA must be set/,
          );
        },
      );
    } finally {
      await server.close();
      await alpha.close();
      await docker.close();
      await Deno.remove(agentHome, { recursive: true });
    }
  },
});
