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

Deno.test({
  name: "the release archive runs with no network: --version, up --only api, canary generate",
  ignore: unavailable !== undefined,
  async fn() {
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
      })
        .output();
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
      const launcher = `${top}/bin/decnet`;
      const version = await inNetns(ns, [launcher, "--version"], env, cwd);
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
      assert.ok(name.includes(version.stdout.trim()), `${name} names version ${version.stdout}`);

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
      assert.match(await Deno.readTextFile(artifact), /canary\.invalid\/c\/abcdefghijklmnopqrstuv/);

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
    } finally {
      await new Deno.Command("ip", { args: ["netns", "del", ns], stderr: "null" }).output();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
