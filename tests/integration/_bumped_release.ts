// Release "B" for the upgrade test: this checkout copied into a temporary folder
// with the version's patch number bumped and one more migration, then built with
// `deno task release` there. The real checkout's version is never touched.
import { join } from "node:path";
import { VERSION } from "../../core/version.ts";

/** The migration only release B has: its first start must run it. */
export const PROBE_MIGRATION = "999_release_upgrade_probe";

/** The version of release B: this one with its patch number plus one. */
export function bumpedVersion(version: string = VERSION): string {
  const [major, minor, patch] = version.split("-")[0].split(".").map(Number);
  return `${major}.${minor}.${patch + 1}`;
}

const root = new URL("../../", import.meta.url).pathname;

/** Copies the checkout's files (tracked and untracked, not ignored) into `dir`. */
async function copyCheckout(dir: string): Promise<void> {
  const list = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: root,
    stdout: "piped",
  }).output();
  if (!list.success) throw new Error("git ls-files failed");
  const paths = new TextDecoder().decode(list.stdout).split("\0").filter(Boolean);
  for (const path of paths) {
    const from = join(root, path);
    // A file deleted from the work tree but still in the index.
    if (!await Deno.stat(from).then(() => true, () => false)) continue;
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.copyFile(from, join(dir, path));
  }
}

/** Replaces `find` in the file at `path` once, failing when it is not there. */
async function patch(path: string, find: string | RegExp, replace: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  const patched = text.replace(find, replace);
  if (patched === text) throw new Error(`Cannot patch ${path}: ${find} not found`);
  await Deno.writeTextFile(path, patched);
}

/**
 * Builds release B into `dir`: version {@linkcode bumpedVersion}, plus the
 * migration {@linkcode PROBE_MIGRATION} creating a table `release_upgrade_probe`.
 * Returns the archive's path.
 */
export async function buildBumpedRelease(dir: string): Promise<string> {
  const checkout = join(dir, "checkout-b");
  await copyCheckout(checkout);
  await patch(
    join(checkout, "deno.json"),
    `"version": "${VERSION}"`,
    `"version": "${bumpedVersion()}"`,
  );
  await patch(
    join(checkout, "core/db/migrate.ts"),
    /(Record<string, Migration> \{\n {2}return \{\n)/,
    `$1    "${PROBE_MIGRATION}": {
      up: (db) => db.schema.createTable("release_upgrade_probe").addColumn("id", "integer").execute(),
    },\n`,
  );
  const build = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "tools/build_release.ts"],
    cwd: checkout,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  if (!build.success) {
    throw new Error(
      `Release B build failed: ${text.decode(build.stderr)}${text.decode(build.stdout)}`,
    );
  }
  return join(checkout, "dist", `decnet-${bumpedVersion()}-linux-x64.tar.gz`);
}
