/**
 * Where a checkout keeps the modules decnet's code reaches (main.ts's graph,
 * dynamic imports included: tests/cli/worker_code_paths_test.ts keeps the
 * list whole); the tests, tools and .git stay out of a Worker's reach.
 */
const CHECKOUT_CODE = [
  "canary",
  "cli",
  "core",
  "deno.json",
  "deploy/personas.example.json",
  "islands",
  "realism",
  "web",
];

/**
 * The files and folders of decnet's own code, never its data, that a Deno
 * Worker of `decnet up` (and `decnet sensor`'s) may read. decnet runs with
 * `--unstable-lazy-dynamic-imports` (tools/build_bundle.ts
 * LAZY_IMPORTS_FLAG): a Worker loads a module it imports with `import()`
 * when the call runs, not before it starts, and such a load needs read
 * access to the module's file. From the split bundle that is this part's
 * folder (every part of decnet lies flat in it, nothing else does); from a
 * checkout, its code folders.
 *
 * @returns absolute paths
 * @example
 * ```ts
 * import { workerCodePaths } from "./worker_code_paths.ts";
 * workerCodePaths(); // from the release: ["/opt/decnet/lib/decnet"]
 * ```
 */
export function workerCodePaths(): string[] {
  // The bundle renames modules .js (as worker_entry_url.ts relies on too).
  if (!import.meta.url.endsWith(".ts")) {
    return [decodeURIComponent(new URL(".", import.meta.url).pathname).replace(/\/$/, "")];
  }
  const root = new URL("../", import.meta.url);
  return CHECKOUT_CODE.map((path) => decodeURIComponent(new URL(path, root).pathname));
}
