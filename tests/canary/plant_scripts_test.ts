import assert from "node:assert/strict";
import { PLANT_SCRIPT, PLANT_TREE_SCRIPT } from "../../canary/_plant_scripts.ts";
import { shellScript } from "../../core/docker/mod.ts";

// The planter's scripts run here under the host's sh and GNU coreutils (a
// Debian decky's), on absolute paths, so no user account is involved.
async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string }> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { TZ: "UTC" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, out: text.trim() };
}

async function mtime(path: string): Promise<string> {
  return (await run(["stat", "-c", "%y", path])).out;
}

Deno.test("PLANT_SCRIPT gives sub-second mtimes under GNU touch and settles directory mtimes", async () => {
  const root = await Deno.makeTempDir({ prefix: "plant-script-" });
  try {
    await Deno.writeTextFile(`${root}/old.txt`, "x");
    await run(["touch", "-d", "2026-01-01 00:00:00.25", `${root}/old.txt`]);
    const target = `${root}/a/b/notes.txt`;
    const r = await run(
      shellScript(PLANT_SCRIPT, [target, "", "0640", "2026-03-04 05:06:07.123456789", "0755"]),
      "hello\n",
    );
    assert.equal(r.code, 0, r.out);
    assert.equal(await Deno.readTextFile(target), "hello\n");
    assert.equal(await mtime(target), "2026-03-04 05:06:07.123456789 +0000");
    // Created directories take their newest entry's time; so does the existing parent.
    assert.equal(await mtime(`${root}/a/b`), "2026-03-04 05:06:07.123456789 +0000");
    assert.equal(await mtime(`${root}/a`), "2026-03-04 05:06:07.123456789 +0000");
    assert.equal(await mtime(root), "2026-03-04 05:06:07.123456789 +0000");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("PLANT_TREE_SCRIPT writes every file with its mode and time, directories settled", async () => {
  const root = await Deno.makeTempDir({ prefix: "plant-tree-" });
  try {
    const b64 = (s: string) => btoa(s);
    const r = await run(shellScript(PLANT_TREE_SCRIPT, [
      `${root}/repo`,
      "",
      "0755",
      "",
      ".git/HEAD",
      "0644",
      "2026-02-01 10:00:00.000000500",
      b64("ref: refs/heads/main\n"),
      ".git/hooks/pre-commit.sample",
      "0755",
      "2026-02-01 10:00:00.5",
      b64("#!/bin/sh\n"),
      "README.md",
      "0644",
      "2026-02-02 09:00:00.75",
      b64("# repo\n"),
    ]));
    assert.equal(r.code, 0, r.out);
    assert.equal(await Deno.readTextFile(`${root}/repo/.git/HEAD`), "ref: refs/heads/main\n");
    assert.equal(
      (await Deno.stat(`${root}/repo/.git/hooks/pre-commit.sample`)).mode! & 0o777,
      0o755,
    );
    assert.equal(await mtime(`${root}/repo/.git/HEAD`), "2026-02-01 10:00:00.000000500 +0000");
    assert.equal(await mtime(`${root}/repo/.git/hooks`), "2026-02-01 10:00:00.500000000 +0000");
    assert.equal(await mtime(`${root}/repo/.git`), "2026-02-01 10:00:00.500000000 +0000");
    assert.equal(await mtime(`${root}/repo`), "2026-02-02 09:00:00.750000000 +0000");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("PLANT_TREE_SCRIPT settles the parents a plant just before created, up to the one given", async () => {
  const root = await Deno.makeTempDir({ prefix: "plant-tree-" });
  try {
    await Deno.mkdir(`${root}/home`);
    await Deno.writeTextFile(`${root}/home/.profile`, "");
    await run(["touch", "-d", "2025-01-01 00:00:00.1", `${root}/home/.profile`]);
    // The main file first (it creates src/repo/.git), then the rest of the tree.
    const main = await run(
      shellScript(PLANT_SCRIPT, [
        `${root}/home/src/repo/.git/config`,
        "",
        "0644",
        "2026-02-01 10:00:00.2",
        "0755",
      ]),
      "[core]\n",
    );
    assert.equal(main.code, 0, main.out);
    const [target, upto] = main.out.split("\n");
    assert.equal(target, `${root}/home/src/repo/.git/config`);
    assert.equal(upto, `${root}/home`);
    const tree = await run(shellScript(PLANT_TREE_SCRIPT, [
      `${root}/home/src/repo`,
      "",
      "0755",
      upto,
      "README.md",
      "0644",
      "2026-02-03 10:00:00.3",
      btoa("# repo\n"),
    ]));
    assert.equal(tree.code, 0, tree.out);
    for (const dir of ["home/src/repo", "home/src", "home"]) {
      assert.equal(await mtime(`${root}/${dir}`), "2026-02-03 10:00:00.300000000 +0000", dir);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("PLANT_TREE_SCRIPT refuses a path that climbs out of its root", async () => {
  const root = await Deno.makeTempDir({ prefix: "plant-tree-" });
  try {
    const r = await run(shellScript(PLANT_TREE_SCRIPT, [
      `${root}/repo`,
      "",
      "0755",
      "",
      "../escape",
      "0644",
      "2026-02-01 10:00:00",
      btoa("x"),
    ]));
    assert.notEqual(r.code, 0);
    assert.match(r.out, /not a relative path: \.\.\/escape/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
