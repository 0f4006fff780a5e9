import assert from "node:assert/strict";
import { releaseRoot } from "../../cli/install_command.ts";
import { runDecnet } from "../infra/run_decnet.ts";

Deno.test("releaseRoot: two levels above the runtime (bundle layout) or the binary (compiled)", () => {
  assert.equal(releaseRoot("/tmp/decnet-0.1.0-linux-x64/lib/deno"), "/tmp/decnet-0.1.0-linux-x64");
  assert.equal(releaseRoot("/opt/decnet/bin/decnet"), "/opt/decnet");
});

Deno.test("install outside an unpacked release is a usage error naming the folder, writing nothing", async () => {
  const prefix = await Deno.makeTempDir({ prefix: "install-" });
  try {
    const run = await runDecnet(["install", "--prefix", prefix, "--from", `${prefix}/nowhere`]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /--from \S+\/nowhere is not an unpacked release archive \(no bin\/decnet\)/,
    );
    assert.deepEqual([...Deno.readDirSync(prefix)], []);
  } finally {
    await Deno.remove(prefix, { recursive: true });
  }
});
