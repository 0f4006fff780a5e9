/**
 * SHA-256 (hex) over every file under islands/ (sorted by path) and the
 * preact entries of deno.json: changes when the browser bundle would.
 *
 * @example
 * ```ts
 * const hash = await assetSourceHash(new URL("../", import.meta.url));
 * ```
 */
export async function assetSourceHash(root: URL): Promise<string> {
  const files: string[] = [];
  for await (const entry of walk(new URL("islands/", root), "islands/")) files.push(entry);
  files.sort();
  const parts: string[] = [];
  for (const path of files) {
    parts.push(path, await Deno.readTextFile(new URL(path, root)));
  }
  const imports = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))).imports as Record<
    string,
    string
  >;
  for (const key of Object.keys(imports).sort()) {
    if (key.includes("preact")) parts.push(key, imports[key]);
  }
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(parts.join("\u0000")),
  );
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function* walk(dir: URL, prefix: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) yield* walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
    else if (entry.isFile) yield `${prefix}${entry.name}`;
  }
}
