import { join } from "node:path";

/** Where the canary listeners keep their journal and read their token snapshot. */
export interface CanarySpoolPaths {
  /** `<DECNET_HOME>/spool/canary`: the only place the canary worker may write. */
  dir: string;
  /** Journal segments (`<number>.jsonl`). */
  journalDir: string;
  /** The active tokens snapshot the collector writes for the listeners. */
  tokensFile: string;
}

/**
 * The canary spool under `home`.
 *
 * @example
 * ```ts
 * canarySpoolPaths("/var/lib/decnet").journalDir; // "/var/lib/decnet/spool/canary/journal"
 * ```
 */
export function canarySpoolPaths(home: string): CanarySpoolPaths {
  const dir = join(home, "spool", "canary");
  return { dir, journalDir: join(dir, "journal"), tokensFile: join(dir, "active_tokens.json") };
}
