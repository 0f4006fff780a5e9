// The release archive on a host with no network: built, unpacked in an empty
// folder, run inside a network namespace that has only loopback, so any
// download (npm, JSR, a runtime update check) fails the run.
import assert from "node:assert/strict";
import { buildRelease } from "../../tools/build_release.ts";
import { findBinary } from "../infra/find_binary.ts";
import { netnsUnavailable } from "../infra/netns.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";

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
    "the release archive installs and runs with no network: install, --version, up, canary generate, uninstall",
  ignore: unavailable !== undefined,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "release-" });
    const ns = `dnr${crypto.getRandomValues(new Uint16Array(1))[0]}`;
    try {
      const { archive, name, size } = await buildRelease(`${dir}/out`);
      assert.ok(size > 1_000_000, `archive size ${size}`);
      const unpacked = `${dir}/unpacked`;
      await Deno.mkdir(unpacked);
      const tar = await new Deno.Command("tar", { args: ["-xzf", archive, "-C", unpacked] })
        .output();
      assert.ok(tar.success);
      const top = `${unpacked}/${name}`;
      const sums = await new Deno.Command("sha256sum", {
        args: ["-c", "--quiet", "SHA256SUMS"],
        cwd: top,
      }).output();
      assert.ok(sums.success, "SHA256SUMS matches the unpacked files");

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
      const user = new TextDecoder().decode(
        (await new Deno.Command("id", { args: ["-un"], stdout: "piped" }).output()).stdout,
      ).trim();
      const install = (args: string[]) =>
        inNetns(
          ns,
          [`${top}/bin/decnet`, "install", "--prefix", prefix, "--user", user, ...args],
          env,
          cwd,
        );

      await t.step("install --dry-run prints the plan and writes nothing", async () => {
        const dry = await install(["--dry-run"]);
        assert.equal(dry.code, 0, dry.stderr);
        assert.match(
          dry.stdout,
          /link {5}\S+\/usr\/local\/bin\/decnet -> \S+\/opt\/decnet\/bin\/decnet/,
        );
        assert.match(dry.stdout, /### \/etc\/systemd\/system\/decnet\.service/);
        await assert.rejects(Deno.stat(prefix), Deno.errors.NotFound);
      });

      const envFile = `${prefix}/etc/decnet/.env.local`;
      await t.step(
        "install copies the release, links the launcher, writes units and env file",
        async () => {
          const run = await install([]);
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, /systemctl enable --now decnet\.target/);
          assert.deepEqual(tree(`${prefix}/opt/decnet`), tree(top));
          assert.equal(
            Deno.readLinkSync(`${prefix}/usr/local/bin/decnet`),
            "../../../opt/decnet/bin/decnet",
          );
          const unit = await Deno.readTextFile(`${prefix}/etc/systemd/system/decnet.service`);
          assert.match(unit, /^ExecStart=\/usr\/local\/bin\/decnet up$/m);
          assert.match(unit, new RegExp(`^User=${user}$`, "m"));
          assert.equal((await Deno.stat(envFile)).mode! & 0o777, 0o600);
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

      const data = `${prefix}/var/lib/decnet`;
      await t.step(
        "install again (an upgrade) keeps env file and data, backing the data up first",
        async () => {
          await Deno.writeTextFile(envFile, "DECNET_API_PORT=8443\n");
          const installed = { ...env, DECNET_HOME: data };
          const launcher = `${prefix}/usr/local/bin/decnet`;
          await Deno.writeTextFile(`${dir}/pw`, "Zq8!upgrade-test-pass\n");
          const add = await inNetns(
            ns,
            [
              launcher,
              "user",
              "add",
              "carol",
              "--role",
              "viewer",
              "--password-file",
              `${dir}/pw`,
            ],
            installed,
            cwd,
          );
          assert.equal(add.code, 0, add.stderr);
          const run = await install([]);
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, /kept +\S+\/etc\/decnet\/\.env\.local/);
          assert.equal(await Deno.readTextFile(envFile), "DECNET_API_PORT=8443\n");
          const [, backup] = run.stdout.match(
            /^backup +(\S+\/var\/backups\/decnet\/\S+\.tar\.gz)/m,
          )!;
          assert.equal((await Deno.stat(backup)).mode! & 0o777, 0o600);
          const users = await inNetns(ns, [launcher, "user", "list"], installed, cwd);
          assert.match(users.stdout, /^carol +viewer/m);
        },
      );

      const launcher = `${prefix}/usr/local/bin/decnet`;
      await t.step("the installed launcher: --version and canary generate", async () => {
        const version = await inNetns(ns, [launcher, "--version"], env, cwd);
        assert.equal(version.code, 0, version.stderr);
        assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
        assert.equal(name, `decnet-${version.stdout.trim()}-linux-x64`);

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

      await t.step("the installed launcher: up --only api answers /api/v1/health", async () => {
        await using proc = spawnDecnet(["up", "--only", "api"], {
          cwd,
          command: ["ip", "netns", "exec", ns, launcher],
          env,
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
      });

      await t.step(
        "uninstall keeps the env file, data and backups; --purge removes all but backups",
        async () => {
          await Deno.mkdir(data, { recursive: true });
          const uninstall = (args: string[]) =>
            inNetns(
              ns,
              [
                launcher,
                "uninstall",
                "--prefix",
                prefix,
                "--user",
                user,
                ...args,
              ],
              env,
              cwd,
            );
          // The installed launcher removes itself: run the second pass from the archive.
          const run = await uninstall([]);
          assert.equal(run.code, 0, run.stderr);
          const backups = tree(prefix).filter((p) => p.startsWith("var/backups/decnet/decnet-"));
          assert.equal(backups.length, 1);
          assert.deepEqual(
            tree(prefix).filter((p) => !p.endsWith("/") && !p.startsWith("var/lib/")),
            ["etc/decnet/.env.local", ...backups],
          );
          assert.ok((await Deno.stat(data)).isDirectory);
          const purge = await inNetns(
            ns,
            [
              `${top}/bin/decnet`,
              "uninstall",
              "--prefix",
              prefix,
              "--user",
              user,
              "--purge",
            ],
            env,
            cwd,
          );
          assert.equal(purge.code, 0, purge.stderr);
          // Backups outlive a purge: they are the way back.
          assert.deepEqual(tree(prefix).filter((p) => !p.endsWith("/")), backups);
          await assert.rejects(Deno.stat(data), Deno.errors.NotFound);
        },
      );
    } finally {
      await new Deno.Command("ip", { args: ["netns", "del", ns], stderr: "null" }).output();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
