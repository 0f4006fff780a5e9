import assert from "node:assert/strict";
import { defaultUnitBinary } from "../../cli/init_command.ts";
import { runDecnet } from "../infra/run_decnet.ts";

Deno.test("decnet init writes units and a private env file under --prefix", async () => {
  const prefix = await Deno.makeTempDir({ prefix: "decnet-init-" });
  try {
    const run = await runDecnet(["init", "--prefix", prefix, "--binary", "/opt/x/decnet"]);
    assert.equal(run.code, 0, run.stderr);
    const unit = await Deno.readTextFile(`${prefix}/etc/systemd/system/decnet-api.service`);
    assert.match(unit, /^ExecStart=\/opt\/x\/decnet api$/m);
    assert.equal((await Deno.stat(`${prefix}/etc/decnet/.env.local`)).mode! & 0o777, 0o600);
    assert.equal(
      (await Deno.stat(`${prefix}/etc/systemd/system/decnet.target`)).mode! & 0o777,
      0o644,
    );
    assert.match(run.stdout, /written +.*decnet\.service/);

    // A second run keeps the operator's env file.
    await Deno.writeTextFile(`${prefix}/etc/decnet/.env.local`, "DECNET_LOG_LEVEL=debug\n");
    const again = await runDecnet(["init", "--prefix", prefix, "--json"]);
    assert.equal(again.code, 0, again.stderr);
    const { items } = JSON.parse(again.stdout) as { items: { path: string; status: string }[] };
    assert.equal(items.find((i) => i.path.endsWith(".env.local"))?.status, "kept");
    assert.equal(
      await Deno.readTextFile(`${prefix}/etc/decnet/.env.local`),
      "DECNET_LOG_LEVEL=debug\n",
    );
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
