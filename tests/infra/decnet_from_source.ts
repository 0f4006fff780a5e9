import { LAZY_IMPORTS_FLAG } from "../../tools/build_bundle.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/**
 * The command line that runs decnet from this checkout for a test, before
 * decnet's own arguments: every permission, and dynamic imports loaded
 * lazily as every launcher does (LAZY_IMPORTS_FLAG), so the Workers' lazy
 * loads meet their real read permissions.
 *
 * @param runtimeFlags more flags for the runtime (e.g. V8_FLAGS, as the launchers pass)
 * @example
 * ```ts
 * const [program, ...args] = decnetFromSource();
 * await new Deno.Command(program, { args: [...args, "--version"] }).output();
 * ```
 */
export function decnetFromSource(runtimeFlags: string[] = []): string[] {
  return [
    Deno.execPath(),
    "run",
    "--quiet",
    "--allow-all",
    LAZY_IMPORTS_FLAG,
    ...runtimeFlags,
    "--config",
    CONFIG,
    MAIN,
  ];
}
