import assert from "node:assert/strict";
import { plantFile } from "../../../core/orchestrator/plant_file.ts";
import { hostExec } from "./_host_exec.ts";

async function mtime(path: string): Promise<string> {
  const out = await new Deno.Command("stat", { args: ["-c", "%y", path], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("plantFile() gives sub-second mtimes and dates created directories like their newest entry", async () => {
  const root = await Deno.makeTempDir({ prefix: "plant-file-" });
  try {
    const at = new Date("2026-03-04T05:06:07.250Z");
    const path = `${root}/notes/2026/todo.md`;
    const r = await plantFile(hostExec, "host", {
      path,
      bytes: new TextEncoder().encode("- [ ] one\n"),
      mtime: at,
    });
    assert.ok(r.ok, r.stderr);
    const stamp = await mtime(path);
    assert.match(stamp, /^2026-03-04 05:06:07\.25\d{7} \+0000$/);
    assert.notEqual(stamp, "2026-03-04 05:06:07.250000000 +0000", "more than milliseconds");
    assert.equal(await mtime(`${root}/notes/2026`), stamp);
    assert.equal(await mtime(`${root}/notes`), stamp);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
