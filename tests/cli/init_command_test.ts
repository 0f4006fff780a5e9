import assert from "node:assert/strict";
import { defaultUnitBinary } from "../../cli/init_command.ts";
import { runDecnet } from "../infra/run_decnet.ts";

Deno.test("decnet init writes units and an env file for root and the service group under --prefix", async () => {
  const prefix = await Deno.makeTempDir({ prefix: "decnet-init-" });
  try {
    const run = await runDecnet(["init", "--prefix", prefix, "--binary", "/opt/x/decnet"]);
    assert.equal(run.code, 0, run.stderr);
    const unit = await Deno.readTextFile(`${prefix}/etc/systemd/system/decnet-api.service`);
    assert.match(unit, /^ExecStart=\/opt\/x\/decnet api$/m);
    assert.equal((await Deno.stat(`${prefix}/etc/decnet/decnet.env`)).mode! & 0o777, 0o640);
    // No group decnet in the prefix's /etc/group yet: the owner is left, and said so.
    assert.match(run.stdout, /note +\S+\/etc\/decnet\/decnet\.env: .*chown root:decnet/);
    assert.equal(
      (await Deno.stat(`${prefix}/etc/systemd/system/decnet.target`)).mode! & 0o777,
      0o644,
    );
    assert.match(run.stdout, /written +.*decnet\.service/);

    // A second run keeps the operator's env file.
    await Deno.writeTextFile(`${prefix}/etc/decnet/decnet.env`, "DECNET_LOG_LEVEL=debug\n");
    const again = await runDecnet(["init", "--prefix", prefix, "--json"]);
    assert.equal(again.code, 0, again.stderr);
    const { items } = JSON.parse(again.stdout) as { items: { path: string; status: string }[] };
    assert.equal(items.find((i) => i.path.endsWith("decnet.env"))?.status, "kept");
    assert.equal(
      await Deno.readTextFile(`${prefix}/etc/decnet/decnet.env`),
      "DECNET_LOG_LEVEL=debug\n",
    );
  } finally {
    await Deno.remove(prefix, { recursive: true });
  }
});

Deno.test("decnet init moves an earlier release's /etc/decnet/.env.local to decnet.env, once, losing nothing", async () => {
  const prefix = await Deno.makeTempDir({ prefix: "decnet-init-" });
  try {
    const legacy = `${prefix}/etc/decnet/.env.local`;
    const envFile = `${prefix}/etc/decnet/decnet.env`;
    await Deno.mkdir(`${prefix}/etc/decnet`, { recursive: true });
    const settings = "DECNET_API_PORT=8443\nDECNET_JWT_SECRET=operator-secret-value\n";
    await Deno.writeTextFile(legacy, settings, { mode: 0o600 });
    const run = await runDecnet(["init", "--prefix", prefix]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^moved +\S+\/etc\/decnet\/\.env\.local -> \S+\/etc\/decnet\/decnet\.env$/m,
    );
    assert.equal(await Deno.readTextFile(envFile), settings);
    assert.equal((await Deno.stat(envFile)).mode! & 0o777, 0o640);
    await assert.rejects(Deno.stat(legacy), Deno.errors.NotFound);

    // Both present (an operator copied it back): both kept, and the old one named as unread.
    await Deno.writeTextFile(legacy, "DECNET_LOG_LEVEL=debug\n");
    const again = await runDecnet(["init", "--prefix", prefix]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^kept +\S+\/decnet\.env \(\S+\/\.env\.local is no longer read: merge what it sets into/m,
    );
    assert.equal(await Deno.readTextFile(envFile), settings);
    assert.equal(await Deno.readTextFile(legacy), "DECNET_LOG_LEVEL=debug\n");
  } finally {
    await Deno.remove(prefix, { recursive: true });
  }
});

Deno.test("decnet init exits 2 for a bad --user or a relative --binary", async () => {
  for (const args of [["--user", "Bad User"], ["--binary", "bin/decnet"]]) {
    const run = await runDecnet(["init", "--dry-run", ...args]);
    assert.equal(run.code, 2, args.join(" "));
    assert.match(run.stderr, /Cannot render units: expected/);
  }
});

Deno.test("defaultUnitBinary() uses the compiled executable, not deno", () => {
  assert.equal(defaultUnitBinary("/usr/bin/deno"), "/usr/local/bin/decnet");
  assert.equal(defaultUnitBinary("/opt/decnet/bin/decnet"), "/opt/decnet/bin/decnet");
});
