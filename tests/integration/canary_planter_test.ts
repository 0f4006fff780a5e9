import assert from "node:assert/strict";
import { MemoryBus } from "../../core/bus/mod.ts";
import type { BusMessage } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { CanaryTokenRow } from "../../core/db/mod.ts";
import { type DockerClient, openDocker, shellScript } from "../../core/docker/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { cultivateCanary, Planter, seedBaseline } from "../../canary/mod.ts";
import type { CanaryPersona, PlanterOptions } from "../../canary/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";

const CONFIG = {
  canaryHttpBase: "http://192.0.2.10:8088",
  canaryDnsZone: "",
  canaryBaseline: ["git_config", "env_file", "honeydoc", "aws_creds"],
};
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function sh(docker: DockerClient, container: string, script: string, args: string[] = []) {
  const r = await docker.exec(container, shellScript(script, args));
  return { code: r.exitCode, out: text(r.stdout).trim(), err: text(r.stderr).trim() };
}

Deno.test({
  name: "Planter plants, revokes and seeds bait in a real container",
  ignore: dockerdUnavailable() !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    const id = await docker.createContainer({ image: TEST_IMAGE, name: "ws-01-ssh", init: true });
    await docker.startContainer(id);

    await using handle = await openMigratedDatabase("sqlite::memory:");
    const repos = createRepositories(handle);
    const fleetRow = {
      hostUuid: "local",
      name: "ws-01",
      ip: null,
      services: ["ssh"],
      images: { ssh: TEST_IMAGE },
      network: null,
      networkDriver: null,
      osPersona: "linux",
    };
    await repos.fleet.upsert(fleetRow, "running");
    await using bus = new MemoryBus({ channel: `planter-${crypto.randomUUID()}` });
    const messages: BusMessage[] = [];
    let notify = () => {};
    bus.subscribe("canary.>", (m) => {
      messages.push(m);
      notify();
    });
    const nextMessage = (count: number) =>
      new Promise<void>((resolve) => {
        notify = () => messages.length >= count && resolve();
        notify();
      });
    const lines: string[] = [];
    const options: PlanterOptions = {
      docker,
      repos,
      bus,
      log: new Logger({ level: "debug", sink: (_l, line) => lines.push(line) }),
      now: () => new Date("2026-11-18T14:00:00.000Z"),
      config: CONFIG,
    };
    const planter = new Planter(options);
    const decky = { name: "ws-01", services: ["ssh"] };

    async function issue(
      generator: string,
      placementPath: string,
      persona: CanaryPersona = { os: "linux", login: "user" },
    ) {
      const c = await cultivateCanary(`canary_${generator}`, {
        config: CONFIG,
        persona,
        now: options.now(),
        deckyName: "ws-01",
        placementPath,
      });
      return { artifact: c.artifact, token: await repos.canary.insertToken(c.token) };
    }

    await t.step("plant() writes content, mode, owner and backdated mtime", async () => {
      const { artifact, token } = await issue("aws_creds", "~/.aws/credentials");
      const row = await planter.plant(decky, { artifact, token });
      assert.equal(row.state, "planted", row.last_error ?? "");
      assert.equal(row.last_error, null);
      const path = "/home/user/.aws/credentials";
      const cat = await docker.exec("ws-01-ssh", ["cat", path]);
      assert.deepEqual(cat.stdout, artifact.bytes);
      const stat = await sh(docker, "ws-01-ssh", 'stat -c "%a %u %g %Y" "$1"', [path]);
      const mtime = Date.parse(artifact.modifiedAt) / 1000;
      assert.equal(stat.out, `600 1000 1000 ${mtime}`);
      const dir = await sh(docker, "ws-01-ssh", 'stat -c "%a %u %Y" "$1"', ["/home/user/.aws"]);
      assert.equal(dir.out, `700 1000 ${mtime}`);
      const leftovers = await sh(docker, "ws-01-ssh", 'ls -A "$1"', ["/home/user/.aws"]);
      assert.equal(leftovers.out, "credentials");
      await nextMessage(1);
      assert.equal(messages[0].topic, `canary.${token.uuid}.placed`);
      assert.equal(messages[0].payload.token_uuid, token.uuid);
      assert.equal(messages[0].payload.decky, "ws-01");
    });

    await t.step("plant() leaves root the owner when the persona's user is absent", async () => {
      const { artifact, token } = await issue("git_config", "/srv/repo/.git/config", {
        os: "linux",
        login: "ghost",
      });
      assert.equal((await planter.plant(decky, { artifact, token })).state, "planted");
      const stat = await sh(docker, "ws-01-ssh", 'stat -c "%a %u" "$1"', [
        "/srv/repo/.git/config",
      ]);
      assert.equal(stat.out, "644 0");
    });

    await t.step("plant() puts ~/ under the first regular user without the persona", async () => {
      const { artifact, token } = await issue("env_file", "~/app/.env", {
        os: "linux",
        login: "ghost",
      });
      assert.equal((await planter.plant(decky, { artifact, token })).state, "planted");
      const stat = await sh(docker, "ws-01-ssh", 'stat -c "%a %u" "$1"', ["/home/user/app/.env"]);
      assert.equal(stat.out, "640 1000");
    });

    await t.step("plant() passes hostile paths verbatim", async () => {
      for (
        const path of [
          '/tmp/a b/it\'s "q" $(touch /tmp/pwned)/f;echo x',
          "/tmp/`touch /tmp/pwned`/$HOME/*",
          "~/-rf/--help",
        ]
      ) {
        const { artifact, token } = await issue("git_config", path);
        const row = await planter.plant(decky, { artifact, token });
        assert.equal(row.state, "planted", `${path}: ${row.last_error}`);
        const real = path.startsWith("~/") ? `/home/user/${path.slice(2)}` : path;
        const check = await sh(docker, "ws-01-ssh", 'test -f "$1" && cat "$1"', [real]);
        assert.equal(check.code, 0, path);
        assert.equal(check.out, text(artifact.bytes).trim());
      }
      const pwned = await sh(docker, "ws-01-ssh", "test -e /tmp/pwned");
      assert.equal(pwned.code, 1);
    });

    await t.step("plant() records a refused path as failed", async (t) => {
      for (
        const path of ["/tmp/new\nline", "relative/path", "/tmp/../etc/x", "C:\\Users\\a\\x"]
      ) {
        await t.step(JSON.stringify(path), async () => {
          const { artifact, token } = await issue("git_config", "/tmp/placeholder");
          const bad: CanaryTokenRow = { ...token, placement_path: path };
          const row = await planter.plant(decky, { artifact, token: bad });
          assert.equal(row.state, "failed");
          assert.match(row.last_error ?? "", /^Cannot /);
        });
      }
    });

    await t.step("plant() records a missing container as failed", async () => {
      const { artifact, token } = await issue("git_config", "/tmp/x");
      const row = await planter.plant({ ...decky, container: "no-such-box" }, {
        artifact,
        token,
      });
      assert.equal(row.state, "failed");
      assert.match(row.last_error ?? "", /no-such-box|No such container/i);
    });

    await t.step("revoke() removes the file and publishes revoked", async () => {
      const { artifact, token } = await issue("honeydoc", "~/Documents/q3.html");
      await planter.plant(decky, { artifact, token });
      const before = messages.length;
      const row = await planter.revoke(token.uuid);
      assert.equal(row?.state, "revoked");
      assert.equal(row?.last_error, null);
      const gone = await sh(docker, "ws-01-ssh", 'test -e "$1"', ["/home/user/Documents/q3.html"]);
      assert.equal(gone.code, 1);
      await nextMessage(before + 1);
      assert.equal(messages.at(-1)?.topic, `canary.${token.uuid}.revoked`);
      assert.equal(await planter.revoke(crypto.randomUUID()), undefined);
    });

    await t.step("revoke() records a removal failure and still revokes", async () => {
      const { artifact, token } = await issue("git_config", "/tmp/y");
      await planter.plant(decky, { artifact, token });
      await repos.fleet.upsert(fleetRow, "failed");
      const before = messages.length;
      const row = await planter.revoke(token.uuid);
      await repos.fleet.upsert(fleetRow, "running");
      assert.equal(row?.state, "revoked");
      assert.match(row?.last_error ?? "", /not running/);
      await nextMessage(before + 1);
      assert.equal(messages.at(-1)?.topic, `canary.${token.uuid}.revoked`);
    });

    await t.step("seedBaseline() plants the baseline, then skips what is planted", async () => {
      await docker.createContainer({ image: TEST_IMAGE, name: "ws-02-ssh", init: true });
      await docker.startContainer("ws-02-ssh");
      const first = await seedBaseline({ name: "ws-02", services: ["ssh"] }, options);
      assert.deepEqual(first.results.map((r) => [r.generator, r.status]), [
        ["git_config", "planted"],
        ["env_file", "planted"],
        ["honeydoc", "planted"],
        ["aws_creds", "planted"],
      ]);
      const files = await sh(
        docker,
        "ws-02-ssh",
        "cd /home/user && find . -type f | sort",
      );
      assert.equal(files.out.split("\n").length, 4, files.out);
      const second = await seedBaseline({ name: "ws-02", services: ["ssh"] }, options);
      assert.deepEqual(second.results.map((r) => r.status), [
        "skipped",
        "skipped",
        "skipped",
        "skipped",
      ]);
    });

    await t.step("seedBaseline() records failures without throwing", async () => {
      const result = await seedBaseline({ name: "ws-03", services: ["ssh"] }, {
        ...options,
        config: { ...CONFIG, canaryBaseline: ["git_config", "mysql_dump"] },
      });
      assert.equal(result.results[0].status, "failed");
      assert.ok(result.results[0].token_uuid);
      const token = await repos.canary.getToken(result.results[0].token_uuid!);
      assert.equal(token?.state, "failed");
      assert.match(token?.last_error ?? "", /ws-03-ssh/);
      assert.equal(result.results[1].status, "error");
      assert.match(result.results[1].error ?? "", /DECNET_CANARY_DNS_ZONE/);
    });
  },
});
