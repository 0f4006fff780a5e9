import assert from "node:assert/strict";
import { CONFIG_VARIABLES } from "../../core/config/mod.ts";
import { formatMarkdown, withConfigReference } from "../../tools/config_reference.ts";

Deno.test("README documents every DECNET_* variable, up to date with CONFIG_VARIABLES", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  assert.equal(
    readme,
    await formatMarkdown(withConfigReference(readme)),
    "README is stale: run deno run -A tools/config_reference.ts --write",
  );
  for (const v of CONFIG_VARIABLES) assert.ok(readme.includes(`\`${v.name}\``), v.name);
});
