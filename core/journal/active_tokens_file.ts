import type { ActiveTokenSummary } from "../db/mod.ts";
import { writeSnapshotFile } from "./write_snapshot_file.ts";

/**
 * Writes the active tokens snapshot atomically (temporary file in the same
 * directory, synced, renamed over the old one), so a reader sees the old
 * set or the new one, never half of either. Returns false when the file
 * already held exactly this set (nothing written).
 *
 * @example
 * ```ts
 * import type { Repositories } from "../db/repositories.ts";
 * import { writeActiveTokens } from "./active_tokens_file.ts";
 * import { canarySpoolPaths } from "./spool_paths.ts";
 * declare const repos: Repositories;
 * const paths = canarySpoolPaths("/var/lib/decnet");
 * await writeActiveTokens(paths.tokensFile, await repos.canaryJournals.activeTokens());
 * ```
 */
export async function writeActiveTokens(
  path: string,
  tokens: ActiveTokenSummary[],
): Promise<boolean> {
  return await writeSnapshotFile(path, JSON.stringify({ tokens }) + "\n");
}

/**
 * The tokens in the snapshot, or null when there is none yet.
 *
 * @throws {SyntaxError} when the file is not a snapshot
 */
export async function readActiveTokens(path: string): Promise<ActiveTokenSummary[] | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const parsed = JSON.parse(text) as { tokens?: unknown };
  if (!Array.isArray(parsed.tokens)) {
    throw new SyntaxError(`Cannot read ${path}: expected {"tokens": [...]}`);
  }
  return parsed.tokens.filter((t): t is ActiveTokenSummary =>
    typeof t === "object" && t !== null && typeof t.uuid === "string" &&
    typeof t.slug === "string"
  ).map((t) => ({ uuid: t.uuid, slug: t.slug }));
}
