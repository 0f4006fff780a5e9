// The release archive on a host with no network: built, unpacked in an empty
// folder, run inside a network namespace that has only loopback, so any
// download (npm, JSR, a runtime update check) fails the run. Then an upgrade to
// a release B with a higher version and one more migration, over A's data.
import assert from "node:assert/strict";
import { readTar } from "../../core/backup/tar_archive.ts";
import { createRepositories, openDatabase } from "../../core/db/mod.ts";
import { VERSION } from "../../core/version.ts";
import { buildRelease } from "../../tools/build_release.ts";
import { findBinary } from "../infra/find_binary.ts";
import { netnsUnavailable } from "../infra/netns.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { buildBumpedRelease, bumpedVersion, PROBE_MIGRATION } from "./_bumped_release.ts";
import { insertToken } from "./_canary_up.ts";

const unavailable = netnsUnavailable() ?? (findBinary("curl") ? undefined : "curl not installed");

/** Runs argv in namespace `ns` with a clean environment plus `env`. */
async function inNetns(ns: string, argv: string[], env: Record<string, string>, cwd: string) {
  const out = await new Deno.Command("ip", {
    args: ["netns", "exec", ns, ...argv],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
    clearEnv: true,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** Unpacks `archive` into `dir`; returns its top-level folder, checked against its SHA256SUMS. */
async function unpack(archive: string, dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const tar = await new Deno.Command("tar", { args: ["-xzf", archive, "-C", dir] }).output();
  assert.ok(tar.success);
  const [top] = [...Deno.readDirSync(dir)].map((e) => `${dir}/${e.name}`);
  const sums = await new Deno.Command("sha256sum", {
    args: ["-c", "--quiet", "SHA256SUMS"],
    cwd: top,
  })
    .output();
  assert.ok(sums.success, `SHA256SUMS matches the unpacked files of ${archive}`);
  return top;
}

/** Every path under `dir`, relative, sorted (folders end in /). */
function tree(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = `${dir}/${e.name}`.slice(base.length + 1);
    if (e.isDirectory) out.push(`${path}/`, ...tree(`${dir}/${e.name}`, base));
    else out.push(path);
  }
  return out.sort();
}

Deno.test({
  name:
    "the release archive installs and runs with no network: install, --version, up, a trigger, " +
    "upgrade to B keeping data and env file, canary generate, uninstall",
  ignore: unavailable !== undefined,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "release-" });
    const ns = `dnr${crypto.getRandomValues(new Uint16Array(1))[0]}`;
    try {
      const { archive, name, size } = await buildRelease(`${dir}/out`);
      assert.ok(size > 1_000_000, `archive size ${size}`);
      const top = await unpack(archive, `${dir}/unpacked`);
      assert.equal(top, `${dir}/unpacked/${name}`);
      assert.equal(await Deno.readTextFile(`${top}/VERSION`), `${VERSION}\n`);
      const topB = await unpack(await buildBumpedRelease(dir), `${dir}/unpacked-b`);

      const ip = await new Deno.Command("ip", { args: ["netns", "add", ns] }).output();
      assert.ok(ip.success);
      await new Deno.Command("ip", { args: ["-n", ns, "link", "set", "lo", "up"] }).output();
      const home = `${dir}/home`;
      const cwd = `${dir}/cwd`;
      await Deno.mkdir(cwd);
      // A cold Deno cache and HOME: nothing the host cached can stand in for the network.
      const env = {
        HOME: home,
        DENO_DIR: `${dir}/deno-dir`,
        DECNET_HOME: `${home}/decnet`,
        DECNET_API_PORT: "0",
        DECNET_API_BIND: "127.0.0.1",
        DECNET_ADMIN_PASSWORD: "release-test-Hx7!qz-pass",
      };
      const prefix = `${dir}/root`;
      const install = (release: string, args: string[] = []) =>
        inNetns(ns, [`${release}/bin/decnet`, "install", "--prefix", prefix, ...args], env, cwd);
      const launcher = `${prefix}/usr/local/bin/decnet`;
      const data = `${prefix}/var/lib/decnet`;
      // What the installed units give the service: its home (the env file is read by systemd).
      const installed = { ...env, DECNET_HOME: data };

      await t.step("install --dry-run prints the plan and writes nothing", async () => {
        const dry = await install(top, ["--dry-run"]);
        assert.equal(dry.code, 0, dry.stderr);
        assert.match(
          dry.stdout,
          /link {5}\S+\/usr\/local\/bin\/decnet -> \S+\/opt\/decnet\/bin\/decnet/,
        );
        assert.match(dry.stdout, /### \/etc\/systemd\/system\/decnet\.service/);
        assert.match(dry.stdout, /### \/etc\/decnet\/decnet\.env \(mode 0640\)/);
        assert.match(
          dry.stdout,
          /^run +systemd-sysusers --root=(\S+) \1\/etc\/sysusers\.d\/decnet\.conf/m,
        );
        assert.match(dry.stdout, /^run +systemctl daemon-reload/m);
        await assert.rejects(Deno.stat(prefix), Deno.errors.NotFound);
      });

      const envFile = `${prefix}/etc/decnet/decnet.env`;
      // An earlier release's env file, holding the operator's settings.
      const settings = "DECNET_API_PORT=8443\nDECNET_LOG_LEVEL=debug\n";
      await t.step(
        "install copies release A, creates the service user, moves the old env file to decnet.env",
        async () => {
          await Deno.mkdir(`${prefix}/etc/decnet`, { recursive: true });
          await Deno.writeTextFile(`${prefix}/etc/decnet/.env.local`, settings, { mode: 0o600 });
          const run = await install(top);
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, /systemctl enable --now decnet\.target/);
          assert.deepEqual(tree(`${prefix}/opt/decnet`), tree(top));
          assert.equal(
            Deno.readLinkSync(`${prefix}/usr/local/bin/decnet`),
            "../../../opt/decnet/bin/decnet",
          );
          const unit = await Deno.readTextFile(`${prefix}/etc/systemd/system/decnet.service`);
          assert.match(unit, /^ExecStart=\/usr\/local\/bin\/decnet up$/m);
          assert.match(unit, /^User=decnet$/m);
          assert.match(unit, /^EnvironmentFile=-\/etc\/decnet\/decnet\.env$/m);
          assert.match(run.stdout, /^moved +\S+\/etc\/decnet\/\.env\.local -> \S+\/decnet\.env$/m);
          assert.equal(await Deno.readTextFile(envFile), settings);
          await assert.rejects(Deno.stat(`${prefix}/etc/decnet/.env.local`), Deno.errors.NotFound);
          assert.match(run.stdout, /^user +decnet \(systemd-sysusers\)$/m);
          const group = (await Deno.readTextFile(`${prefix}/etc/group`)).match(/^decnet:x:(\d+):/m);
          assert.ok(group, "group decnet created in the prefix");
          const stat = await Deno.stat(envFile);
          assert.equal(stat.mode! & 0o777, 0o640);
          assert.deepEqual([stat.uid, stat.gid], [0, Number(group[1])]);
          assert.match(run.stdout, /^owner +root:decnet \S+\/decnet\.env$/m);
          assert.match(run.stdout, /^note +staging root: run systemctl daemon-reload/m);
          assert.match(run.stdout, new RegExp(`^version +${VERSION}$`, "m"));
        },
      );

      const analyze = findBinary("systemd-analyze");
      await t.step({
        name: "systemd-analyze verify accepts the installed units with the installed paths",
        ignore: !analyze, // Debian package systemd
        async fn() {
          // verify resolves ExecStart (the link into /opt/decnet) and the units' dependencies
          // inside --root: give the prefix the host's own system units.
          await Deno.mkdir(`${prefix}/usr/lib/systemd`, { recursive: true });
          const cp = await new Deno.Command("cp", {
            args: ["-r", "/usr/lib/systemd/system", `${prefix}/usr/lib/systemd/`],
          }).output();
          assert.ok(cp.success);
          const dir = `${prefix}/etc/systemd/system`;
          const units = [...Deno.readDirSync(dir)].map((e) => `${dir}/${e.name}`).sort();
          const out = await new Deno.Command(analyze!, {
            args: ["verify", "--man=no", `--root=${prefix}`, ...units],
            env: { SYSTEMD_LOG_LEVEL: "notice" },
            stdout: "piped",
            stderr: "piped",
          }).output();
          const text = new TextDecoder();
          const report = text.decode(out.stdout) + text.decode(out.stderr);
          assert.ok(out.success, report);
          assert.equal(report.trim(), "", report);
          await Deno.remove(`${prefix}/usr/lib`, { recursive: true });
        },
      });

      const slug = "Rl7_upgradeTestSlug0aZ";
      let tokenUuid = "";
      await t.step("release A holds data: a user, a token, and a trigger through up", async () => {
        await Deno.writeTextFile(`${dir}/pw`, "Zq8!upgrade-test-pass\n");
        const add = await inNetns(
          ns,
          [launcher, "user", "add", "carol", "--role", "viewer", "--password-file", `${dir}/pw`],
          installed,
          cwd,
        );
        assert.equal(add.code, 0, add.stderr);
        {
          await using handle = await openDatabase(`sqlite:${data}/decnet.db`);
          tokenUuid = await insertToken(handle, slug);
        }
        await using proc = spawnDecnet(["up", "--only", "canary,collector"], {
          cwd,
          command: ["ip", "netns", "exec", ns, launcher],
          env: {
            ...installed,
            DECNET_CANARY_HTTP_BIND: "127.0.0.1",
            DECNET_CANARY_HTTP_PORT: "0",
            DECNET_CANARY_DNS_BIND: "127.0.0.1",
            DECNET_CANARY_DNS_PORT: "0",
          },
        });
        const [, port] = await proc.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/, 60_000);
        await using handle = await openDatabase(`sqlite:${data}/decnet.db`);
        const repos = createRepositories(handle);
        // The listeners learn the token from the collector's snapshot: until then a hit on
        // it is answered like any unknown slug and records nothing.
        await waitUntil(async () => {
          const hit = await inNetns(
            ns,
            [
              "curl",
              "-sS",
              "-o",
              "/dev/null",
              "--max-time",
              "5",
              `http://127.0.0.1:${port}/c/${slug}`,
            ],
            env,
            cwd,
          );
          assert.equal(hit.code, 0, hit.stderr);
          return ((await repos.canary.getToken(tokenUuid))?.trigger_count ?? 0) >= 1;
        }, { what: "a trigger of the token stored by release A", timeoutMs: 60_000 });
        assert.equal((await proc.close()).code, 0);
      });

      const versionB = bumpedVersion();
      await t.step(
        "install release B over A: backup first, env file and data kept, version B",
        async () => {
          const pending = await inNetns(ns, [`${topB}/bin/decnet`, "db", "status"], installed, cwd);
          assert.equal(pending.code, 0, pending.stderr);
          assert.match(pending.stdout, new RegExp(`^pending +${PROBE_MIGRATION}`, "m"));
          const run = await install(topB);
          assert.equal(run.code, 0, run.stderr);
          assert.deepEqual(tree(`${prefix}/opt/decnet`), tree(topB));
          assert.match(run.stdout, /^kept +\S+\/etc\/decnet\/decnet\.env$/m);
          assert.equal(await Deno.readTextFile(envFile), settings);
          assert.equal((await Deno.stat(envFile)).mode! & 0o777, 0o640);
          assert.match(run.stdout, new RegExp(`^version +${versionB} \\(was ${VERSION}\\)$`, "m"));
          const [, backup] = run.stdout.match(
            /^backup +(\S+\/var\/backups\/decnet\/\S+\.tar\.gz)/m,
          )!;
          assert.equal((await Deno.stat(backup)).mode! & 0o777, 0o600);
          const gz = await Deno.open(backup);
          const entries = readTar(
            new Uint8Array(
              await new Response(gz.readable.pipeThrough(new DecompressionStream("gzip")))
                .arrayBuffer(),
            ),
          );
          assert.ok(entries.some((e) => e.path === "decnet.db"), "the backup holds the database");
          assert.ok(entries.some((e) => e.path === "SHA256SUMS"));
          const version = await inNetns(ns, [launcher, "--version"], env, cwd);
          assert.equal(version.stdout, `${versionB}\n`);
        },
      );

      await t.step(
        "release B's first start runs its migration; A's data is all there",
        async () => {
          await using proc = spawnDecnet(["up", "--only", "api"], {
            cwd,
            command: ["ip", "netns", "exec", ns, launcher],
            env: installed,
          });
          const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/, 60_000);
          // The API listens inside the namespace: curl from there too.
          const health = await inNetns(
            ns,
            ["curl", "-sS", "--max-time", "10", `${url}/api/v1/health`],
            env,
            cwd,
          );
          assert.equal(health.code, 0, health.stderr);
          const body = JSON.parse(health.stdout);
          assert.equal(body.status, "ok");
          assert.deepEqual(body.workers.map((w: { name: string }) => w.name), ["api"]);
          assert.equal((await proc.close()).code, 0);
          const status = await inNetns(ns, [launcher, "db", "status"], installed, cwd);
          assert.match(status.stdout, new RegExp(`^applied +${PROBE_MIGRATION}`, "m"));
          assert.doesNotMatch(status.stdout, /^pending/m);
          const users = await inNetns(ns, [launcher, "user", "list"], installed, cwd);
          assert.match(users.stdout, /^carol +viewer/m);
          await using handle = await openDatabase(`sqlite:${data}/decnet.db`);
          const repos = createRepositories(handle);
          const token = await repos.canary.getToken(tokenUuid);
          assert.equal(token?.callback_token, slug);
          assert.ok(token!.trigger_count >= 1, `trigger_count ${token!.trigger_count}`);
          const { items } = await repos.canary.listTriggers(tokenUuid, { limit: 10, offset: 0 });
          assert.ok(items.some((i) => i.request_path?.startsWith(`/c/${slug}`)));
        },
      );

      await t.step("installing A over B is refused: a downgrade, nothing changed", async () => {
        const run = await install(top);
        assert.equal(run.code, 2);
        assert.match(
          run.stderr,
          new RegExp(
            `holds decnet ${versionB}, newer than this release ${VERSION}: .*decnet restore`,
          ),
        );
        assert.equal(await Deno.readTextFile(`${prefix}/opt/decnet/VERSION`), `${versionB}\n`);
      });

      await t.step("the installed launcher: canary generate", async () => {
        const artifact = `${dir}/bait.env`;
        const generate = await inNetns(
          ns,
          [
            launcher,
            "canary",
            "generate",
            "env_file",
            "--slug",
            "abcdefghijklmnopqrstuv",
            "--http-base",
            "http://canary.invalid",
            "-o",
            artifact,
          ],
          env,
          cwd,
        );
        assert.equal(generate.code, 0, generate.stderr);
        assert.match(
          await Deno.readTextFile(artifact),
          /canary\.invalid\/c\/abcdefghijklmnopqrstuv/,
        );
      });

      await t.step(
        "uninstall keeps the env file, data, backups and user; --purge removes all but those two",
        async () => {
          const uninstall = (release: string, args: string[]) =>
            inNetns(ns, [release, "uninstall", "--prefix", prefix, ...args], env, cwd);
          // The service user's files (sysusers' /etc/passwd and friends) stay: its id may own data.
          const userFiles = [
            "etc/.pwd.lock",
            "etc/group",
            "etc/gshadow",
            "etc/passwd",
            "etc/shadow",
          ];
          const left = () =>
            tree(prefix).filter((p) =>
              !p.endsWith("/") && !p.startsWith("var/lib/") && !userFiles.includes(p)
            );
          const run = await uninstall(launcher, []);
          assert.equal(run.code, 0, run.stderr);
          const backups = tree(prefix).filter((p) => p.startsWith("var/backups/decnet/decnet-"));
          assert.equal(backups.length, 1);
          assert.deepEqual(left(), ["etc/decnet/decnet.env", ...backups]);
          assert.ok((await Deno.stat(data)).isDirectory);
          // An earlier release's env file left beside decnet.env goes with a purge too.
          await Deno.writeTextFile(`${prefix}/etc/decnet/.env.local`, settings);
          // The installed launcher removed itself: the second pass runs from the archive.
          const purge = await uninstall(`${top}/bin/decnet`, ["--purge"]);
          assert.equal(purge.code, 0, purge.stderr);
          // Backups outlive a purge: they are the way back.
          assert.deepEqual(left(), backups);
          await assert.rejects(Deno.stat(data), Deno.errors.NotFound);
        },
      );
    } finally {
      await new Deno.Command("ip", { args: ["netns", "del", ns], stderr: "null" }).output();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
