import { join } from "node:path";

/** Where the sniffer reads its targets and writes its journal. */
export interface SnifferSpoolPaths {
  /** `<DECNET_HOME>/spool/sniffer`. */
  dir: string;
  /** Journal segments of fingerprint events: the only place the sniffer may write. */
  journalDir: string;
  /** The decky addresses to watch, a snapshot the collector writes. */
  targetsFile: string;
}

/**
 * The sniffer's spool under `home`.
 *
 * @example
 * ```ts
 * snifferSpoolPaths("/var/lib/decnet").journalDir; // "/var/lib/decnet/spool/sniffer/journal"
 * ```
 */
export function snifferSpoolPaths(home: string): SnifferSpoolPaths {
  const dir = join(home, "spool", "sniffer");
  return { dir, journalDir: join(dir, "journal"), targetsFile: join(dir, "targets.json") };
}
