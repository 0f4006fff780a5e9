/**
 * The module `decnet up` runs as worker `name`'s Deno Worker: the worker's own
 * entry (cli/worker_entries/<name>.ts, or the part of that name in the split
 * bundle's folder, beside this module) when there is one, else `mainModule`,
 * which branches on the worker name (a single-file bundle, a compiled binary).
 * Before it runs, a Worker loads and analyses every module its entry reaches,
 * statically analysable dynamic imports included: from decnet's main module
 * that is all of decnet (some 800 modules, ~13 MiB per isolate), from its own
 * entry that worker's job alone.
 *
 * @param name the worker's name
 * @param mainModule `Deno.mainModule`
 * @returns the entry's URL
 * @example
 * ```ts
 * import { workerEntryUrl } from "./worker_entry_url.ts";
 * workerEntryUrl("canary", Deno.mainModule); // ".../cli/worker_entries/canary.ts"
 * ```
 */
export function workerEntryUrl(name: string, mainModule: string): string {
  // The bundle renames modules .js; its parts keep the folders under cli/.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const own = new URL(`./worker_entries/${name.replaceAll("-", "_")}${extension}`, import.meta.url);
  try {
    Deno.statSync(own);
    return own.href;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return mainModule;
    throw e;
  }
}
