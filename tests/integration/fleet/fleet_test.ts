import assert from "node:assert/strict";
import { type BusMessage, MemoryBus, TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { openDocker } from "../../../core/docker/mod.ts";
import {
  type FleetContext,
  fleetLabelKeys,
  reconcileFleet,
  StateFile,
} from "../../../core/fleet/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE } from "../../infra/test_image.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const SUBNET_PREFIX = "10.231.47";

function fleetFile(): string {
  return `
[network]
driver = bridge
name = decoys
subnet = ${SUBNET_PREFIX}.0/24
gateway = ${SUBNET_PREFIX}.1
dns = ${SUBNET_PREFIX}.53

[defaults]
image = ${TEST_IMAGE}
base_image = ${TEST_IMAGE}

[decky ws-01]
services = ssh
command.ssh = nc -ll -p 22 -e sh -c 'echo SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3'
ip = ${SUBNET_PREFIX}.10

[decky db-01]
services = mysql, http
os = windows
`;
}

Deno.test({
  name: "fleet deploy, status, reconcile and teardown work against a real dockerd",
  ignore: dockerdUnavailable() !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    const home = await Deno.makeTempDir({ prefix: "fleet-home-" });
    const env = {
      DECNET_HOME: home,
      DECNET_DB_URL: `sqlite:${home}/decnet.db`,
      DOCKER_HOST: daemon.dockerHost,
      DECNET_LOG_LEVEL: "warn",
      // Bait calling back to the default loopback base is planted only in tests.
      DECNET_CANARY_ALLOW_LOCAL: "true",
    };
    const config = `${home}/fleet.ini`;
    await Deno.writeTextFile(config, fleetFile());
    await using handle = await openMigratedDatabase(env.DECNET_DB_URL);
    const repos = createRepositories(handle);
    await using bus = new MemoryBus({ channel: `fleet-${crypto.randomUUID()}` });
    const published: BusMessage[] = [];
    const sub = bus.subscribe(TOPIC_PATTERNS.deckyState, (m) => {
      published.push(m);
    });
    const context: FleetContext = {
      hostUuid: "local",
      docker,
      fleet: repos.fleet,
      stateFile: new StateFile(home, "local"),
      bus,
      log: new Logger({ level: "error" }),
      now: () => new Date(),
    };
    const settle = async (count: number) => {
      await waitUntil(() => published.length >= count, { what: "bus messages", timeoutMs: 5000 });
    };
    try {
      await t.step("deploy --dry-run plans without touching Docker", async () => {
        const run = await runDecnet(["deploy", "--config", config, "--dry-run", "--json"], { env });
        assert.equal(run.code, 0, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.deepEqual(out.items.map((i: { status: string }) => i.status), [
          "planned",
          "planned",
        ]);
        assert.deepEqual(await docker.listContainers(), []);
      });

      await t.step("deploy creates base and service containers, labelled and joined", async () => {
        const run = await runDecnet(["deploy", "--config", config], { env });
        assert.equal(run.code, 0, run.stderr + run.stdout);
        const labels = fleetLabelKeys();
        const base = await docker.inspectContainer("ws-01");
        assert.ok(base?.running);
        assert.equal(base.init, false, "the image's own PID 1 (init = image)");
        assert.equal(base.hostname, "ws-01");
        assert.equal(base.networks.decoys.ipAddress, `${SUBNET_PREFIX}.10`);
        assert.equal(base.labels[labels.decky], "ws-01");
        const ssh = await docker.inspectContainer("ws-01-ssh");
        assert.ok(ssh?.running);
        assert.equal(ssh.networkMode, `container:${base.id}`);
        assert.equal(ssh.labels[labels.service], "ssh");
        for (const name of ["db-01", "db-01-mysql", "db-01-http"]) {
          assert.ok((await docker.inspectContainer(name))?.running, name);
        }
      });

      await t.step("deploy hides the container tells inside each container", async () => {
        const read = async (container: string, script: string) => {
          const r = await docker.exec(container, ["sh", "-c", script]);
          return new TextDecoder().decode(r.stdout);
        };
        for (const name of ["ws-01", "ws-01-ssh", "db-01", "db-01-mysql", "db-01-http"]) {
          assert.equal(await read(name, "ls -a / | grep -c dockerenv"), "0\n", name);
          assert.equal(
            await read(name, "cat /etc/resolv.conf"),
            `nameserver ${SUBNET_PREFIX}.53\n`,
          );
          const hosts = await read(name, "cat /etc/hosts");
          assert.match(hosts, /^127\.0\.0\.1\tlocalhost\n127\.0\.1\.1\t(ws|db)-01\n/, name);
          // Docker maps the container's own address to its name; the installer does not (LAN
          // peers that bait names are added on purpose, so other addresses may appear).
          const decky = name.slice(0, 5);
          assert.doesNotMatch(
            hosts,
            new RegExp(`^(?!127\\.0\\.1\\.1\\t)\\S+\\t${decky}$|ip6-localnet`, "m"),
            name,
          );
          assert.doesNotMatch(await read(name, "cat /proc/1/cmdline"), /docker-init/, name);
          assert.doesNotMatch(await read(name, "cat /proc/1/cgroup"), /docker/, name);
        }
      });

      await t.step("deploy seeds the canary baseline on each decky", async () => {
        for (const decky of ["ws-01", "db-01"]) {
          const { items } = await repos.canary.listTokens({
            deckyName: decky,
            limit: 50,
            offset: 0,
          });
          // Each decky carries its own subset of the baseline (at least half).
          const generators = items.map((t) => t.generator ?? "");
          assert.ok(generators.length >= 2, `${decky}: ${generators}`);
          for (const g of generators) {
            assert.ok(["aws_creds", "env_file", "git_config", "honeydoc"].includes(g), g);
          }
          for (const token of items) {
            assert.equal(token.state, "planted", `${decky} ${token.generator}`);
          }
        }
      });

      await t.step("the ssh service answers with a realistic banner", async () => {
        let banner = "";
        await waitUntil(async () => {
          const r = await docker.exec("db-01", [
            "sh",
            "-c",
            `nc ${SUBNET_PREFIX}.10 22 </dev/null`,
          ]);
          banner = new TextDecoder().decode(r.stdout);
          return banner.startsWith("SSH-2.0-");
        }, { what: "ssh banner", timeoutMs: 30_000 });
        assert.doesNotMatch(banner, /decnet/i);
      });

      await t.step("status shows both deckies running", async () => {
        const run = await runDecnet(["status", "--json"], { env });
        assert.equal(run.code, 0, run.stderr);
        const { items } = JSON.parse(run.stdout);
        assert.deepEqual(
          items.map((d: { name: string; state: string }) => [d.name, d.state]),
          [["db-01", "running"], ["ws-01", "running"]],
        );
        const table = await runDecnet(["status"], { env });
        assert.match(table.stdout, /^DECKY\s+IP\s+SERVICES\s+STATE\s+SINCE/);
        assert.match(table.stdout, /ws-01\s+10\.231\.47\.10\s+ssh\s+running/);
      });

      await t.step("deploy again changes nothing", async () => {
        const run = await runDecnet(["deploy", "--config", config, "--json"], { env });
        assert.equal(run.code, 0, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.deepEqual(out.items.map((i: { status: string }) => i.status), [
          "unchanged",
          "unchanged",
        ]);
      });

      await t.step("a quiet reconcile publishes nothing", async () => {
        const report = await reconcileFleet(context);
        assert.deepEqual([report.inserted, report.deleted, report.changed, report.unchanged], [
          0,
          0,
          0,
          2,
        ]);
        assert.equal(bus.stats().published, 0);
      });

      await t.step(
        "a container stopped by hand makes the decky degraded, published once",
        async () => {
          await docker.stopContainer("db-01-mysql", { graceSeconds: 0 });
          const report = await reconcileFleet(context);
          assert.equal(report.changed, 1);
          await settle(1);
          assert.equal((await repos.fleet.get("local", "db-01"))?.state, "degraded");
          assert.equal(bus.stats().published, 1);
          assert.equal(published[0].topic, "decky.local:db-01.state");
          assert.deepEqual(
            { from: published[0].payload.from, to: published[0].payload.to },
            { from: "running", to: "degraded" },
          );
          const again = await reconcileFleet(context);
          assert.equal(again.changed, 0);
          assert.equal(bus.stats().published, 1);
          const file = await context.stateFile.read();
          assert.equal(file.find((d) => d.name === "db-01")?.state, "degraded");
        },
      );

      await t.step("a deleted row is inserted again by reconcile --once", async () => {
        await repos.fleet.remove("local", "db-01");
        const run = await runDecnet(["reconcile", "--once"], { env });
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /inserted 1, deleted 0, changed 0, unchanged 1/);
        assert.equal((await repos.fleet.get("local", "db-01"))?.state, "degraded");
      });

      await t.step("a deploy interrupted half-way is finished by the next deploy", async () => {
        await docker.removeContainer("ws-01-ssh", { force: true });
        const run = await runDecnet(["deploy", "--config", config, "--json"], { env });
        assert.equal(run.code, 0, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.deepEqual(out.items.map((i: { status: string }) => i.status), [
          "deployed",
          "deployed",
        ]);
        assert.ok((await docker.inspectContainer("ws-01-ssh"))?.running);
        assert.ok((await docker.inspectContainer("db-01-mysql"))?.running);
        assert.equal((await repos.fleet.get("local", "db-01"))?.state, "running");
      });

      await t.step("teardown --name removes the containers and the row", async () => {
        const run = await runDecnet(["teardown", "--name", "ws-01"], { env });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(await docker.inspectContainer("ws-01"), undefined);
        assert.equal(await docker.inspectContainer("ws-01-ssh"), undefined);
        assert.equal(await repos.fleet.get("local", "ws-01"), undefined);
        assert.deepEqual((await context.stateFile.read()).map((d) => d.name), ["db-01"]);
        const again = await runDecnet(["teardown", "--name", "ws-01", "--json"], { env });
        assert.equal(JSON.parse(again.stdout).items[0].status, "absent");
      });

      await t.step("with dockerd stopped, reconcile changes nothing and says so", async () => {
        await repos.fleet.remove("local", "db-01");
        await daemon.close();
        const before = bus.stats().published;
        const report = await reconcileFleet(context);
        assert.equal(report.dockerReachable, false);
        assert.deepEqual([report.inserted, report.deleted, report.changed], [0, 0, 0]);
        assert.equal(await repos.fleet.get("local", "db-01"), undefined);
        assert.equal(bus.stats().published, before);
        const run = await runDecnet(["reconcile", "--once"], { env });
        assert.equal(run.code, 1);
        assert.match(run.stderr, /Docker unreachable/);
      });
    } finally {
      sub.unsubscribe();
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "teardown --all removes every container, row and our network",
  ignore: dockerdUnavailable() !== undefined,
  async fn() {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    const home = await Deno.makeTempDir({ prefix: "fleet-home-" });
    const env = {
      DECNET_HOME: home,
      DECNET_DB_URL: `sqlite:${home}/decnet.db`,
      DOCKER_HOST: daemon.dockerHost,
      DECNET_LOG_LEVEL: "warn",
    };
    try {
      await Deno.writeTextFile(`${home}/fleet.ini`, fleetFile());
      const deploy = await runDecnet(["deploy", "--config", `${home}/fleet.ini`], { env });
      assert.equal(deploy.code, 0, deploy.stderr);
      const run = await runDecnet(["teardown", "--all", "--json"], { env });
      assert.equal(run.code, 0, run.stderr);
      const out = JSON.parse(run.stdout);
      assert.deepEqual(out.items.map((i: { status: string }) => i.status), ["removed", "removed"]);
      assert.deepEqual(out.networks_removed, ["decoys"]);
      assert.deepEqual(await docker.listContainers(), []);
      const status = await runDecnet(["status", "--json"], { env });
      assert.equal(JSON.parse(status.stdout).total, 0);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
