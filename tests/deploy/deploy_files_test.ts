import assert from "node:assert/strict";
import { CONFIG_VARIABLES } from "../../core/config/mod.ts";
import { deployPathFor } from "../../tools/render_deploy.ts";
import { runDecnet } from "../infra/run_decnet.ts";

const root = new URL("../../", import.meta.url);

Deno.test("deploy/ equals what `decnet init --dry-run` renders", async () => {
  const run = await runDecnet(["init", "--dry-run", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const { items } = JSON.parse(run.stdout) as { items: { path: string; content: string }[] };
  assert.ok(items.length >= 8);
  for (const item of items) {
    const committed = await Deno.readTextFile(new URL(deployPathFor(item.path), root));
    assert.equal(
      committed,
      item.content,
      `${deployPathFor(item.path)} drifted: run deno run -A tools/render_deploy.ts`,
    );
  }
});

Deno.test("deploy/env.example lists every variable in CONFIG_VARIABLES and DECNET_ENV_FILE", async () => {
  const text = await Deno.readTextFile(new URL("deploy/env.example", root));
  const listed = new Set([...text.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  for (const name of [...CONFIG_VARIABLES.map((v) => v.name), "DECNET_ENV_FILE"]) {
    assert.ok(listed.has(name), `${name} missing from deploy/env.example`);
  }
});
