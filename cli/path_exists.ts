/**
 * Whether `path` exists (a symbolic link is followed).
 *
 * @throws {Error} when it cannot be told (other than not found)
 * @example
 * ```ts
 * import { pathExists } from "./path_exists.ts";
 * await pathExists("/opt/decnet/lib/decnet.js");
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    return false;
  }
}
