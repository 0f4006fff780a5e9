import assert from "node:assert/strict";
import type { DockerClient } from "../../../core/docker/mod.ts";
import { plantFile } from "../../../core/orchestrator/plant_file.ts";

// Runs the exec's argv on this host (GNU coreutils, as on a Debian decky).
const hostExec = {
  async exec(_container: string, argv: string[], options: { stdin?: Uint8Array } = {}) {
    const child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { TZ: "UTC" },
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(options.stdin ?? new Uint8Array());
    await writer.close();
    const out = await child.output();
    return { exitCode: out.code, stdout: out.stdout, stderr: out.stderr };
  },
} as unknown as DockerClient;

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
