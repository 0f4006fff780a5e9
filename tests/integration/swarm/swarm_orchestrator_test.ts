// The master's orchestrator acting on deckies that run on a swarm agent: a
// real TLS nats-server, an enrolled agent answering commands on its own
// dockerd, real Debian deckies there; and the baseline bait `decnet deploy`
// plants on an agent's decky.
import assert from "node:assert/strict";
import { MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { Repositories } from "../../../core/db/mod.ts";
import { type DockerClient, openDocker, shellScript } from "../../../core/docker/mod.ts";
import {
  agentCommandHandlers,
  agentFleetRows,
  type FleetContext,
  StateFile,
} from "../../../core/fleet/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { Orchestrator } from "../../../core/orchestrator/mod.ts";
import type { TickResult } from "../../../core/orchestrator/mod.ts";
import { requestAgentCommand, serveAgentCommands } from "../../../core/swarm/mod.ts";
import { DEFAULT_REALISM_CONFIG, mulberry32, parsePersonas } from "../../../realism/mod.ts";
import { REALISM_SETTINGS_KEY } from "../../../realism/mod.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
} from "../../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { buildTestImage, TEST_IMAGE } from "../../infra/test_image.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

const natsMissing = natsUnavailable() ?? opensslUnavailable();
const text = (b: Uint8Array) => new TextDecoder().decode(b);
// A /24 no other test uses, so a stale bridge of an earlier run cannot shadow it.
const LAN = `10.234.${crypto.getRandomValues(new Uint8Array(1))[0]}`;

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

async function sh(docker: DockerClient, container: string, script: string, ...args: string[]) {
  const r = await docker.exec(container, shellScript(script, args), { user: "0" });
  assert.equal(r.exitCode, 0, `${script}: ${text(r.stderr)}`);
  return text(r.stdout);
}

/**
 * This host's Docker as the master's orchestrator sees it: the same daemon,
 * but any call on a container of the agent's deckies throws, so an action
 * that went to the local Docker instead of the agent fails the test.
 */
function masterDocker(docker: DockerClient, local: (container: string) => boolean): DockerClient {
  return new Proxy(docker, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        if (typeof args[0] === "string" && !local(args[0])) {
          throw new Error(`the master's own Docker was asked ${prop} on ${args[0]}`);
        }
        return value.apply(target, args);
      };
    },
  });
}

Deno.test({
  name: "the master's orchestrator writes files, delivers mail and runs SSH between deckies " +
    "on an agent through its commands, and goes on with its own deckies while the agent is away",
  ignore: natsMissing !== undefined || dockerdUnavailable() !== undefined ||
    debianImageUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildDebianImage(docker);
    const ips: Record<string, string> = {
      "ws-01": `${LAN}.11`,
      "ws-02": `${LAN}.12`,
      "loc-01": `${LAN}.21`,
    };
    await docker.createNetwork({ name: "lan", subnet: `${LAN}.0/24` });
    for (const [name, ip] of Object.entries(ips)) {
      const id = await docker.createContainer({
        image,
        name: `${name}-ssh`,
        hostname: name,
        cmd: DEBIAN_IMAGE_CMD,
        networkMode: "lan",
        ipv4Address: ip,
      });
      await docker.startContainer(id, { timeoutMs: 60_000 });
    }
    for (const name of Object.keys(ips)) {
      await waitUntil(async () => {
        const r = await docker.exec(`${name}-ssh`, ["sh", "-c", "pidof sshd && pidof dovecot"]);
        return r.exitCode === 0;
      }, { what: `sshd and dovecot of ${name}`, timeoutMs: 120_000 });
    }

    // The master: its database, the swarm's hosts, and the rows of every decky.
    const handle = await openMigratedDatabase("sqlite::memory:");
    await using _db = { [Symbol.asyncDispose]: () => handle.close() };
    const clock = { now: new Date("2026-12-01T10:00:00Z") };
    const repos: Repositories = createRepositories(handle, { clock: () => clock.now });
    const a = await enrollAndJoin(repos.swarmHosts, nats.home, "alpha");
    const master = await nats.connectMaster();
    const alpha = await nats.connectAgent("alpha", a.creds);
    const row = (name: string, hostUuid: string) => ({
      hostUuid,
      name,
      ip: ips[name],
      services: ["ssh", "imap"],
      images: {},
      network: "lan",
      networkDriver: "bridge",
      osPersona: "linux",
    });
    for (const name of ["ws-01", "ws-02"]) await repos.fleet.upsert(row(name, "alpha"), "running");

    // The agent: its state file records the two deckies it runs.
    const agentHome = await Deno.makeTempDir({ prefix: "swarm-agent-" });
    const context = agentContext(docker, agentHome, "alpha");
    await context.stateFile.update(
      () =>
        ["ws-01", "ws-02"].map((name) => ({
          name,
          uuid: crypto.randomUUID(),
          ip: ips[name],
          services: ["ssh", "imap"],
          images: {},
          network: "lan",
          networkDriver: "bridge",
          osPersona: "linux",
          state: "running" as const,
          stateSince: clock.now.toISOString(),
        })),
      clock.now,
    );
    let server = serveAgentCommands(
      alpha,
      "alpha",
      agentCommandHandlers(context, { name: "alpha" }),
      {
        log: new Logger({ level: "error" }),
      },
    );
    await alpha.flush();

    const pool = parsePersonas(
      JSON.parse(
        await Deno.readTextFile(new URL("../../../deploy/personas.example.json", import.meta.url)),
      ),
    ).personas.map((p) => ({ ...p, active_hours: "00:00-23:59" }));
    await using bus = new MemoryBus({ channel: `swarm-orch-${crypto.randomUUID()}` });
    const orchestrator = new Orchestrator({
      repos,
      docker: masterDocker(docker, (c) => c.startsWith("loc-")),
      agents: (host, verb, args, options) => requestAgentCommand(master, host, verb, args, options),
      bus,
      log: new Logger({ level: "error" }),
      personaPool: { load: () => Promise.resolve({ personas: pool }) },
      makeLlm: () => null,
      llmByDefault: false,
      random: mulberry32(5),
      now: () => clock.now,
    });
    const only = async (kind: "traffic" | "file" | "email") => {
      await repos.settings.put(REALISM_SETTINGS_KEY, {
        action_weights: { traffic: 0, file: 0, email: 0, [kind]: 1 },
        canary_probability: 0,
        weights: { ...DEFAULT_REALISM_CONFIG.weights, log_cron: 0, log_daemon: 0, cache_tmp: 0 },
      });
      await orchestrator.reloadSettings();
    };
    /** Ticks (the clock `stepMs` on each time) until `done` holds for a result. */
    const tickUntil = async (
      stepMs: number,
      done: (r: TickResult) => boolean,
      limit = 40,
    ): Promise<TickResult[]> => {
      const seen: TickResult[] = [];
      for (let i = 0; i < limit; i++) {
        clock.now = new Date(clock.now.getTime() + stepMs);
        const r = await orchestrator.tick();
        seen.push(r);
        if (done(r)) return seen;
      }
      assert.fail(`no tick did it: ${JSON.stringify(seen.map((r) => r.detail))}`);
    };

    try {
      await t.step("a file tick writes into a decky on the agent", async () => {
        await only("file");
        const [r] = (await tickUntil(10 * 60_000, (r) => r.kind === "file" && r.ok)).slice(-1);
        assert.match(r.decky!, /^ws-0[12]$/);
        assert.deepEqual(r.skipped, []);
        const { items } = await repos.orchestrator.listEvents({ limit: 10, offset: 0 });
        const event = items.find((e) => e.kind === "file" && e.success === 1)!;
        const file = JSON.parse(event.payload) as { path: string; owner: string };
        const onAgent = await sh(
          docker,
          `${r.decky}-ssh`,
          'stat -c "%U" "$1" && cat "$1"',
          file.path,
        );
        assert.equal(onAgent.split("\n")[0], file.owner);
        assert.ok(onAgent.length > file.owner.length + 1, "the file has a body");
      });

      await t.step(
        "a mail tick delivers through the decky's own dovecot on the agent",
        async () => {
          await only("email");
          const [r] = (await tickUntil(10 * 60_000, (r) => r.kind === "email" && r.ok)).slice(-1);
          assert.match(r.decky!, /^ws-0[12]$/);
          const { items } = await repos.orchestrator.listEmails({ limit: 10, offset: 0 });
          const mail = items.find((m) => m.success === 1)!;
          const box = await sh(docker, `${r.decky}-ssh`, 'cat "$1"', mail.path);
          assert.ok(box.includes(`Message-ID: ${mail.message_id}`), box.slice(0, 500));
        },
      );

      await t.step(
        "a traffic tick runs a real SSH session between the agent's deckies",
        async () => {
          await only("traffic");
          const [r] = (await tickUntil(10 * 60_000, (r) => r.kind === "traffic" && r.ok)).slice(-1);
          const { items } = await repos.orchestrator.listEvents({ limit: 50, offset: 0 });
          const session = items.find((e) => e.kind === "traffic" && e.success === 1)!;
          const payload = JSON.parse(session.payload) as { login: string; host: string };
          assert.equal(payload.host, "alpha");
          const auth = await sh(docker, `${session.dst_decky_name}-ssh`, "cat /var/log/auth.log");
          assert.match(
            auth,
            new RegExp(
              `Accepted publickey for ${payload.login} from ${
                ips[session.src_decky_name!].replaceAll(".", "\\.")
              } port \\d+ ssh2`,
            ),
            r.detail,
          );
        },
      );

      await t.step(
        "with the agent away the tick names it and acts on the master's decky",
        async () => {
          await repos.fleet.upsert(row("loc-01", "master-host"), "running");
          await server.close();
          await only("file");
          const seen = await tickUntil(
            10_000,
            (r) => r.ok && r.decky === "loc-01" && r.skipped.some((s) => s.host === "alpha"),
          );
          // Nothing went to ws-01/ws-02 through the master's own Docker (it would have thrown).
          for (const r of seen.filter((r) => r.decky?.startsWith("ws-"))) {
            assert.equal(r.ok, false);
            assert.match(r.detail, /swarm host alpha: (no agent answers|no answer lately)/);
          }
          const skipped = seen.at(-1)!.skipped.find((s) => s.host === "alpha")!;
          assert.match(skipped.reason, /^no answer lately; left alone until /);
          assert.deepEqual(skipped.deckies, ["ws-01", "ws-02"]);
          assert.equal(orchestrator.extras().skipped_hosts, "alpha");
          // The agent back: once the rest is over, its deckies are acted on again.
          server = serveAgentCommands(
            alpha,
            "alpha",
            agentCommandHandlers(context, { name: "alpha" }),
            { log: new Logger({ level: "error" }) },
          );
          await alpha.flush();
          await tickUntil(
            10 * 60_000,
            (r) => r.ok && r.skipped.length === 0 && /^ws-0[12]$/.test(r.decky ?? ""),
          );
        },
      );
    } finally {
      await server.close();
      await alpha.close();
      await master.close();
      for (const c of await docker.listContainers({ all: true })) {
        await docker.removeContainer(c.id, { force: true });
      }
      for (const n of await docker.listNetworks()) {
        if (n.name === "lan") await docker.removeNetwork(n.id);
      }
      await Deno.remove(agentHome, { recursive: true });
    }
  },
});

Deno.test({
  name: "decnet deploy plants the baseline bait in an agent's decky and the master keeps the " +
    "token with the decky and its host",
  ignore: natsMissing !== undefined || dockerdUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    const env = {
      DECNET_DB_URL: `sqlite:${nats.home}/decnet.db`,
      DECNET_SWARM_NATS_URL: nats.url,
      DECNET_SWARM_NATS_CA: nats.caFile,
      DECNET_CANARY_BASELINE: "aws_creds",
      DECNET_CANARY_HTTP_BASE: "http://updates.example.net",
      DECNET_LOG_LEVEL: "error",
    };
    const handle = await openMigratedDatabase(env.DECNET_DB_URL);
    const a = await enrollAndJoin(createRepositories(handle).swarmHosts, nats.home, "alpha");
    await handle.close();
    const alpha = await nats.connectAgent("alpha", a.creds);
    const master = await nats.connectMaster();
    const agentHome = await Deno.makeTempDir({ prefix: "swarm-agent-" });
    const server = serveAgentCommands(
      alpha,
      "alpha",
      agentCommandHandlers(agentContext(docker, agentHome, "alpha"), { name: "alpha" }),
      { log: new Logger({ level: "error" }) },
    );
    await alpha.flush();
    const fleet = `${nats.home}/fleet.ini`;
    await Deno.writeTextFile(
      fleet,
      `[network]
name = baitlan
subnet = ${LAN}.0/24
gateway = ${LAN}.1

[defaults]
image = ${TEST_IMAGE}
base_image = ${TEST_IMAGE}
services = ssh
command.ssh = sleep 2147483647

[decky web-a]
host = alpha
`,
    );
    try {
      await t.step("the deploy reports the decky on alpha and its bait", async () => {
        const run = await runDecnet(["deploy", "--config", fleet, "--json"], {
          home: nats.home,
          env,
        });
        assert.equal(run.code, 0, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.deepEqual(out.items.map((i: { name: string; host: string }) => [i.name, i.host]), [
          ["web-a", "alpha"],
        ]);
        assert.deepEqual(
          out.baseline.map((b: { decky: string; host: string; results: { status: string }[] }) => [
            b.decky,
            b.host,
            b.results.map((r) => r.status),
          ]),
          [["web-a", "alpha", ["planted"]]],
        );
      });

      await t.step(
        "the token is the master's, with decky and host; the bait is on alpha",
        async () => {
          await using db = await openMigratedDatabase(env.DECNET_DB_URL);
          const { items } = await createRepositories(db).canary.listTokens({
            limit: 10,
            offset: 0,
          });
          assert.equal(items.length, 1);
          const token = items[0];
          assert.deepEqual(
            [token.decky_name, token.decky_host, token.state, token.generator],
            ["web-a", "alpha", "planted", "aws_creds"],
          );
          // A `~/` path is the persona's home: user's, on the test image.
          const path = token.placement_path!.replace(/^~\//, "/home/user/");
          const bait = await sh(docker, "web-a-ssh", 'cat "$1"', path);
          assert.match(bait, /aws_access_key_id/);
          const owner = await sh(docker, "web-a-ssh", 'stat -c "%U" "$1"', path);
          assert.equal(owner.trim(), "user");
        },
      );

      await t.step("deploying again plants nothing twice", async () => {
        const run = await runDecnet(["deploy", "--config", fleet, "--json"], {
          home: nats.home,
          env,
        });
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(
          JSON.parse(run.stdout).baseline[0].results.map((r: { status: string }) => r.status),
          ["skipped"],
        );
      });

      await t.step(
        "a bait the agent does not confirm leaves its token failed, naming decky and host",
        async () => {
          await using db = await openMigratedDatabase(env.DECNET_DB_URL);
          const repos = createRepositories(db);
          const seed = async (timeoutMs: number | null) => {
            const { seedAgentBaseline } = await import(
              "../../../core/fleet/seed_agent_baseline.ts"
            );
            const { parseFleetSpec } = await import("../../../core/fleet/mod.ts");
            const [result] = await seedAgentBaseline(
              (host, verb, args, options) =>
                requestAgentCommand(master, host, verb, args, {
                  timeoutMs: verb === "plant" && timeoutMs !== null ? timeoutMs : options.timeoutMs,
                }),
              [{
                host: "alpha",
                results: [{
                  name: "web-a",
                  status: "unchanged",
                  state: "running",
                  ip: null,
                  containers: ["web-a", "web-a-ssh"],
                }],
              }],
              {
                docker,
                repos,
                log: new Logger({ level: "error" }),
                now: () => new Date(),
                config: {
                  canaryHttpBase: env.DECNET_CANARY_HTTP_BASE,
                  canaryDnsZone: "canary.example.net",
                  canaryBaseline: ["git_config"],
                  canaryAllowLocal: true,
                },
                spec: parseFleetSpec(
                  `[network]\nname = x\n[decky web-a]\nservices = ssh\nimage = ${TEST_IMAGE}\n`,
                ),
              },
            );
            return result;
          };
          // A reply later than the master waits: the token is failed, not left issued.
          const late = await seed(1);
          assert.equal(late.results[0].status, "failed", String(late.results[0].error));
          const failed = await repos.canary.getToken(late.results[0].token_uuid!);
          assert.deepEqual([failed?.state, failed?.decky_host], ["failed", "alpha"]);
          assert.match(
            failed!.last_error!,
            /^Cannot plant in web-a-ssh on swarm host alpha: .*no reply within 1 ms/,
          );
          // The agent away: no token is made at all, and the error says where.
          await server.close();
          const away = await seed(null);
          assert.equal(away.results[0].status, "error");
          assert.match(away.results[0].error!, /web-a.*swarm host alpha: no agent answers/);
          const tokens = await repos.canary.listTokensOfDecky("web-a", ["issued"]);
          assert.deepEqual(tokens, []);
        },
      );
    } finally {
      await server.close();
      await alpha.close();
      await master.close();
      for (const c of await docker.listContainers({ all: true })) {
        await docker.removeContainer(c.id, { force: true });
      }
      for (const n of await docker.listNetworks()) {
        if (n.driver === "bridge" && n.subnets.length) await docker.removeNetwork(n.id);
      }
      await Deno.remove(agentHome, { recursive: true });
    }
  },
});
