import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";

Deno.test("decnet sensor exits 2 naming the field of bad usage", async (t) => {
  const cases: [string[], RegExp][] = [
    [["sensor", "--decky", "a"], /--services is required/],
    [["sensor", "--services", "nosuch", "--decky", "a"], /services expected one of .*got "nosuch"/],
    [["sensor", "--services", "nosuch", "--decky", "A B"], /decky expected a-z/],
    [
      ["sensor", "--services", "nosuch", "--decky", "a", "--config", "{not json"],
      /--config expected JSON/,
    ],
    [
      ["sensor", "--services", "nosuch", "--decky", "a", "--config", "/nonexistent/x.json"],
      /--config expected JSON or a readable file, got "\/nonexistent\/x.json"/,
    ],
  ];
  for (const [args, error] of cases) {
    await t.step(args.join(" "), async () => {
      const run = await runDecnet(args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, error);
      assert.equal(run.stdout, "", "stdout carries events only");
    });
  }
});

Deno.test("decnet sensor image exits 2 from a source checkout without --program", async () => {
  const run = await runDecnet(["sensor", "image"], { env: { DOCKER_HOST: "unix:///nonexistent" } });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--program expected a bundle/);
});
