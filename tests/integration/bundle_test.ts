import assert from "node:assert/strict";
import { buildWorkerRegistry } from "../../cli/worker_registry.ts";
import { buildSplitBundle, RUNTIME_FLAGS } from "../../tools/build_bundle.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

Deno.test("the bundle runs from an empty directory with no node_modules: --version, up --help, the password list and a real up", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bundle-" });
  try {
    const bundle = `${dir}/decnet.js`;
    await buildSplitBundle(bundle);
    // Each Worker starts from its own part, which reaches its job alone (cli/worker_entry_url.ts).
    for (const name of buildWorkerRegistry().names()) {
      await Deno.stat(`${dir}/decnet/worker_entries/${name.replaceAll("-", "_")}.js`);
    }
    const cwd = `${dir}/empty`;
    await Deno.mkdir(cwd);
    const command = [Deno.execPath(), "run", "--quiet", "--no-config", ...RUNTIME_FLAGS, bundle];
    const run = async (args: string[]) => {
      const out = await new Deno.Command(command[0], {
        args: [...command.slice(1), ...args],
        cwd,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
    };
    const version = await run(["--version"]);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const help = await run(["up", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--only <workers>/);
    // The list of common passwords travels inside the bundle.
    await Deno.writeTextFile(`${dir}/pw`, "Password2024!\n");
    const weak = await run([
      "user",
      "add",
      "x",
      "--role",
      "viewer",
      "--password-file",
      `${dir}/pw`,
    ]);
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /10,000 most common/);

    await using proc = spawnDecnet(["up"], {
      cwd,
      command,
      env: { DECNET_API_PORT: "0", DECNET_CANARY_HTTP_PORT: "0", DECNET_CANARY_DNS_PORT: "0" },
    });
    const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    let body: { status: string; workers: { name: string }[] } = { status: "", workers: [] };
    await waitUntil(async () => {
      body = await (await fetch(`${url}/api/v1/health`)).json();
      return body.status === "ok";
    }, { what: "every worker healthy" });
    assert.deepEqual(body.workers.map((w: { name: string }) => w.name), [
      "alerts",
      "api",
      "canary",
      "clusterer",
      "collector",
      "orchestrator",
      "reconciler",
    ]);
    // The dashboard and its embedded assets come out of the bundle itself.
    const login = await (await fetch(`${url}/login`)).text();
    const css = /href="(\/assets\/styles\.[0-9a-f]+\.css)"/.exec(login);
    assert.ok(css, "the login page links its stylesheet");
    const asset = await fetch(`${url}${css[1]}`);
    assert.equal(asset.headers.get("content-type"), "text/css; charset=utf-8");
    assert.match(await asset.text(), /--accent/);
    assert.equal((await proc.close()).code, 0);
    assert.deepEqual([...Deno.readDirSync(cwd)].map((e) => e.name), ["var"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
