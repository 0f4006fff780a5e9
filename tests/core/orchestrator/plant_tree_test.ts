import assert from "node:assert/strict";
import { plantTree } from "../../../core/orchestrator/plant_tree.ts";
import { hostExec } from "./_host_exec.ts";

async function stat(path: string): Promise<string> {
  const out = await new Deno.Command("stat", { args: ["-c", "%a %y", path], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("plantTree() writes a tree in one exec with modes, sub-second mtimes and directories dated by their newest entry", async () => {
  const root = await Deno.makeTempDir({ prefix: "plant-tree-" });
  try {
    const enc = new TextEncoder();
    const repo = `${root}/src/app`;
    const r = await plantTree(hostExec, "host", {
      root: repo,
      login: "ana",
      files: [
        {
          path: ".git/HEAD",
          bytes: enc.encode("ref: refs/heads/main\n"),
          mode: 0o644,
          mtime: new Date("2026-03-04T05:06:07.250Z"),
        },
        {
          path: `.git/objects/ab/${"c".repeat(38)}`,
          bytes: new Uint8Array([120, 1, 2]),
          mode: 0o444,
          mtime: new Date("2026-03-05T08:00:00.000Z"),
        },
        {
          path: "bin/run.sh",
          bytes: enc.encode("#!/bin/sh\n"),
          mode: 0o755,
          mtime: new Date("2026-03-01T10:00:00.000Z"),
        },
      ],
    });
    assert.ok(r.ok, r.stderr);
    assert.equal(await Deno.readTextFile(`${repo}/.git/HEAD`), "ref: refs/heads/main\n");
    const head = await stat(`${repo}/.git/HEAD`);
    assert.match(head, /^644 2026-03-04 05:06:07\.25\d{7} \+0000$/);
    assert.notEqual(head, "644 2026-03-04 05:06:07.250000000 +0000", "more than milliseconds");
    const object = await stat(`${repo}/.git/objects/ab/${"c".repeat(38)}`);
    assert.match(object, /^444 2026-03-05 08:00:00\.\d{9} \+0000$/);
    assert.match(await stat(`${repo}/bin/run.sh`), /^755 2026-03-01 10:00:00\./);
    for (const dir of [".git", ".git/objects", ".git/objects/ab"]) {
      assert.equal(await stat(`${repo}/${dir}`), object.replace(/^444/, "755"), dir);
    }
    assert.equal(
      await stat(`${repo}/bin`),
      (await stat(`${repo}/bin/run.sh`)).replace(/^755/, "755"),
    );
    await assert.rejects(
      () => plantTree(hostExec, "host", { root: "src", login: "ana", files: [] }),
      /root must be absolute, got "src"/,
    );
    await assert.rejects(
      () =>
        plantTree(hostExec, "host", {
          root: repo,
          login: "ana",
          files: [{ path: "../x", bytes: enc.encode(""), mode: 0o644, mtime: new Date() }],
        }),
      /without \. or \.\., got "\.\.\/x"/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
