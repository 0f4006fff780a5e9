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
  // A documentation-range base: allowed only because this is a test.
  canaryAllowLocal: true,
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

    await t.step("plant() refuses ~/ when the persona has no account there", async () => {
      const { artifact, token } = await issue("env_file", "~/app/.env", {
        os: "linux",
        login: "ghost",
      });
      const row = await planter.plant(decky, { artifact, token });
      assert.equal(row.state, "failed");
      assert.match(row.last_error ?? "", /no such user on this machine: ghost/);
      const found = await sh(docker, "ws-01-ssh", "find /home /root -name .env");
      assert.equal(found.out, "");
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
      assert.ok(first.results.length >= 2, JSON.stringify(first.results));
      for (const r of first.results) assert.equal(r.status, "planted", r.error ?? "");
      const second = await seedBaseline({ name: "ws-02", services: ["ssh"] }, options);
      assert.deepEqual(
        second.results.map((r) => [r.generator, r.status]),
        first.results.map((r) => [r.generator, "skipped"]),
      );
    });

    await t.step("seedBaseline() records failures without throwing", async () => {
      const missing = await seedBaseline({ name: "ws-03", services: ["ssh"] }, options);
      assert.ok(missing.results.length > 0);
      for (const r of missing.results) {
        assert.equal(r.status, "error");
        assert.match(r.error ?? "", /Cannot seed: cannot read the users of ws-03-ssh/);
      }
      const result = await seedBaseline({ name: "ws-02", services: ["ssh"] }, {
        ...options,
        config: { ...CONFIG, canaryBaseline: ["mysql_dump"] },
      });
      assert.equal(result.results[0].status, "error");
      assert.match(result.results[0].error ?? "", /DECNET_CANARY_DNS_ZONE/);
    });

    await t.step(
      "seedBaseline() refuses a loopback callback base, naming the setting",
      async () => {
        const result = await seedBaseline({
          name: "ws-09",
          services: ["ssh"],
          container: "ws-02-ssh",
        }, {
          ...options,
          config: {
            canaryHttpBase: "http://127.0.0.1:8088",
            canaryDnsZone: "",
            canaryBaseline: ["env_file"],
          },
        });
        assert.equal(result.results[0].status, "error");
        assert.match(
          result.results[0].error ?? "",
          /DECNET_CANARY_HTTP_BASE is a loopback address/,
        );
      },
    );

    await t.step("seeded bait holds up to an intruder's look", async (t) => {
      // Two deckies with the same people: ana and bo are personas, user is not.
      const setup = `
        printf 'ana:x:1001:1001:Ana Lopez,,,:/home/ana:/bin/sh\\nbo:x:1002:1002::/home/bo:/bin/sh\\n' >> /etc/passwd
        printf 'ana:x:1001:\\nbo:x:1002:\\n' >> /etc/group
        mkdir -p /home/ana /home/bo /var/log && chown 1001:1001 /home/ana && chown 1002:1002 /home/bo
        echo '2026-06-01 08:00:00 startup archives unpack' > /var/log/dpkg.log`;
      const installed = Date.parse("2026-06-01T08:00:00Z") / 1000;
      const seeded = new Map<string, string>();
      for (const [name, ip] of [["db-01", "192.0.2.21"], ["web-01", "192.0.2.22"]]) {
        await repos.fleet.upsert({
          hostUuid: "local",
          name,
          ip,
          services: ["ssh"],
          images: { ssh: TEST_IMAGE },
          network: null,
          networkDriver: null,
          osPersona: "linux",
        }, "running");
      }
      for (const name of ["db-01", "web-01"]) {
        await docker.createContainer({ image: TEST_IMAGE, name: `${name}-ssh`, init: true });
        await docker.startContainer(`${name}-ssh`);
        assert.equal((await sh(docker, `${name}-ssh`, setup)).code, 0);
        const result = await seedBaseline({ name, uuid: `uuid-of-${name}`, services: ["ssh"] }, {
          ...options,
          now: () => new Date(),
          config: { ...CONFIG, canaryHttpBase: "https://updates.acme-corp.com" },
          personas: () =>
            Promise.resolve([{ login: "ana", name: "Ana Lopez" }, { login: "bo", name: "Bo Ek" }]),
        });
        for (const r of result.results) assert.equal(r.status, "planted", r.error ?? "");
        const files = await sh(docker, `${name}-ssh`, "cd /home && find . -type f | sort");
        seeded.set(name, files.out);
      }
      await t.step("two deckies carry different sets", () => {
        assert.notEqual(seeded.get("db-01"), seeded.get("web-01"));
      });
      await t.step("nothing in the home of a user who is nobody's persona", () => {
        for (const files of seeded.values()) {
          assert.doesNotMatch(files, /^\.\/user\//m);
          assert.match(files, /^\.\/(ana|bo)\//m);
        }
      });
      await t.step(
        "every file and directory is the persona's, dated after the install",
        async () => {
          for (const name of seeded.keys()) {
            const stat = await sh(
              docker,
              `${name}-ssh`,
              'for h in /home/ana /home/bo; do find "$h" -mindepth 1 -exec stat -c "%u %Y %n" {} +; done',
            );
            for (const line of stat.out.split("\n").filter(Boolean)) {
              const [uid, mtime, path] = line.split(" ");
              assert.equal(uid, path.startsWith("/home/ana") ? "1001" : "1002", line);
              assert.ok(Number(mtime) >= installed, `${line} predates the install`);
              assert.ok(Number(mtime) <= Date.now() / 1000, `${line} is in the future`);
            }
          }
        },
      );
      await t.step("each directory is as old as its newest entry", async () => {
        for (const name of seeded.keys()) {
          const check = await sh(
            docker,
            `${name}-ssh`,
            `for d in $(find /home/ana /home/bo -type d); do
               newest=$(ls -At "$d" | head -n 1)
               [ -z "$newest" ] && continue
               [ "$(stat -c %Y "$d")" = "$(stat -c %Y "$d/$newest")" ] || echo "$d"
             done`,
          );
          assert.equal(check.out, "", `directories newer than their contents on ${name}`);
        }
      });
      await t.step("host names in bait resolve on the decky", async () => {
        let checked = 0;
        for (const name of seeded.keys()) {
          const envs = await sh(
            docker,
            `${name}-ssh`,
            "find /home -name .env -exec grep -hE '^(DB_HOST|MAIL_HOST|REDIS_URL)=' {} +",
          );
          const hosts = (await sh(docker, `${name}-ssh`, "cat /etc/hosts")).out;
          for (const line of envs.out.split("\n").filter(Boolean)) {
            const host = line.replace(/^[A-Z_]+=(redis:\/\/)?/, "").replace(/[:/].*$/, "");
            assert.ok(
              ["127.0.0.1", "localhost"].includes(host) ||
                new RegExp(`^\\S+\\s+${host}$`, "m").test(hosts),
              `${name}: ${line} does not resolve (hosts: ${hosts})`,
            );
            checked++;
          }
        }
        assert.ok(checked >= 3, `${checked} host names checked`);
      });
      await t.step("reports are signed by the persona who owns them", async () => {
        for (const name of seeded.keys()) {
          const docs = await sh(
            docker,
            `${name}-ssh`,
            "find /home -name '*.html' -exec grep -h 'Prepared by' {} +",
          );
          for (const line of docs.out.split("\n").filter(Boolean)) {
            assert.match(line, /Prepared by (Ana Lopez|Bo Ek)/);
          }
        }
      });
      await t.step("a copied .git passes git fsck and shows a history", async () => {
        let checked = 0;
        for (const name of seeded.keys()) {
          const configs = (await sh(docker, `${name}-ssh`, "find /home -path '*/.git/config'")).out;
          for (const config of configs.split("\n").filter(Boolean)) {
            const repo = config.slice(0, -"/.git/config".length);
            const tar = await docker.exec(`${name}-ssh`, ["tar", "-C", repo, "-cf", "-", "."]);
            const dir = await Deno.makeTempDir({ prefix: "copied-git-" });
            try {
              const untar = new Deno.Command("tar", {
                args: ["-C", dir, "-xf", "-"],
                stdin: "piped",
              })
                .spawn();
              const writer = untar.stdin.getWriter();
              await writer.write(tar.stdout);
              await writer.close();
              assert.ok((await untar.status).success);
              const git = (...args: string[]) =>
                new Deno.Command("git", {
                  args: ["-c", `safe.directory=${dir}`, ...args],
                  cwd: dir,
                  env: { GIT_CONFIG_NOSYSTEM: "1", HOME: dir },
                }).output();
              const fsck = await git("fsck", "--full", "--strict", "--no-dangling");
              assert.ok(fsck.success, text(fsck.stderr));
              const log = await git("log", "--format=%an");
              assert.match(text(log.stdout), /^(Ana Lopez|Bo Ek)$/m);
              checked++;
            } finally {
              await Deno.remove(dir, { recursive: true });
            }
          }
        }
        assert.equal(checked, 2, "both deckies carry a repository (their plans say so)");
      });
    });
  },
});
