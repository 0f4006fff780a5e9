import assert from "node:assert/strict";
import { generateArtifact } from "../../../canary/mod.ts";
import type { CanaryContext } from "../../../canary/mod.ts";

const context: CanaryContext = {
  slug: "Zq3k9x2LmP0aB7cD8eF1gH",
  httpBase: "https://updates.acme-corp.com",
  dnsZone: "",
  persona: { os: "linux", login: "ana", name: "Ana Lopez" },
  issuedAt: "2026-11-18T14:00:00Z",
  shapeSeed: "decky-1:git_config",
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { GIT_CONFIG_NOSYSTEM: "1", HOME: cwd, GIT_TERMINAL_PROMPT: "0" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `git ${args.join(" ")}: ${text}`);
  return text;
}

/** Writes the artifact and its companions under `root` as the planter lays them out. */
async function writeRepository(root: string): Promise<string> {
  const artifact = await generateArtifact("git_config", context);
  assert.ok(artifact.companions);
  const repo = `${root}/${artifact.defaultPath.slice(2, -"/.git/config".length)}`;
  for (const f of artifact.companions.files) {
    const path = `${repo}/${f.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, f.bytes, { mode: f.mode });
  }
  await Deno.writeFile(`${repo}/.git/config`, artifact.bytes);
  return repo;
}

Deno.test("git_config bait is a whole repository that real git accepts", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "git-bait-" });
  try {
    const repo = await writeRepository(root);
    await t.step("git fsck finds every object sound and connected", async () => {
      const out = await git(repo, "fsck", "--full", "--strict", "--no-dangling");
      assert.doesNotMatch(out, /error|missing|broken|warning/i);
    });
    await t.step("git log shows the persona's history", async () => {
      const log = await git(repo, "log", "--format=%an <%ae>|%s");
      const lines = log.trim().split("\n");
      assert.ok(lines.length >= 2);
      for (const line of lines) assert.match(line, /^Ana Lopez <ana@acme-corp\.com>\|/);
    });
    await t.step("the work tree matches HEAD (clean status)", async () => {
      const status = await git(repo, "status", "--porcelain");
      assert.equal(status.trim(), "");
    });
    await t.step("only the remote URL names the callback base", async () => {
      assert.match(
        await git(repo, "remote", "get-url", "origin"),
        /^https:\/\/updates\.acme-corp\.com\/c\//,
      );
    });
    await t.step("the layout of .git matches a real git init's", async () => {
      const real = `${root}/real`;
      await git(root, "init", "-q", real);
      const layout = async (dir: string) => {
        const out: string[] = [];
        for await (const e of Deno.readDir(`${dir}/.git/hooks`)) {
          out.push(
            `${e.name} ${
              ((await Deno.stat(`${dir}/.git/hooks/${e.name}`)).mode! & 0o777).toString(8)
            }`,
          );
        }
        for (const name of ["HEAD", "description", "info/exclude", "config"]) {
          out.push(`${name} ${(await Deno.stat(`${dir}/.git/${name}`)).isFile}`);
        }
        return out.sort();
      };
      assert.deepEqual(await layout(repo), await layout(real));
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("git_config bait has the same shape for the same shape seed and varies without one", async () => {
  const a = await generateArtifact("git_config", context);
  const b = await generateArtifact("git_config", { ...context, slug: "Yq3k9x2LmP0aB7cD8eF1gH" });
  assert.equal(a.defaultPath, b.defaultPath);
  const paths = new Set<string>();
  for (const seed of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
    paths.add((await generateArtifact("git_config", { ...context, shapeSeed: seed })).defaultPath);
  }
  assert.ok(paths.size >= 4, [...paths].join(", "));
});
