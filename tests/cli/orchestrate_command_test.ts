import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";

Deno.test("decnet orchestrate --once runs one tick and reports it", async (t) => {
  const home = await Deno.makeTempDir();
  try {
    await t.step("nothing to do on an empty fleet exits 0", async () => {
      const run = await runDecnet(["orchestrate", "--once", "--json", "--no-llm"], {
        home,
        env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
      });
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.equal(result.kind, null);
      assert.equal(result.ok, true);
      assert.equal(result.tick, 1);
    });
    await t.step("a bad --interval is a usage error", async () => {
      const run = await runDecnet(["orchestrate", "--interval", "0"], { home });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /interval/);
    });
    await t.step("--help lists the flags", async () => {
      const run = await runDecnet(["orchestrate", "--help"], { home });
      assert.equal(run.code, 0);
      for (const flag of ["--interval", "--llm", "--no-llm", "--once"]) {
        assert.ok(run.stdout.includes(flag), flag);
      }
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
