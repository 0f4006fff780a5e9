import { join } from "node:path";

/** Where the sniffer reads its targets and writes its journal. */
export interface SnifferSpoolPaths {
  /** `<DECNET_HOME>/spool/sniffer`. */
  dir: string;
  /** Journal segments of fingerprint events: the only place the sniffer may write. */
  journalDir: string;
  /** The decky addresses to watch, a snapshot the collector writes. */
  targetsFile: string;
  /** Where the sniffer writes its status file (its other writable directory). */
  statusDir: string;
  /** Its counters, rewritten every few seconds; the collector publishes them as health. */
  statusFile: string;
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
  const statusDir = join(dir, "status");
  return {
    dir,
    journalDir: join(dir, "journal"),
    targetsFile: join(dir, "targets.json"),
    statusDir,
    statusFile: join(statusDir, "sniffer.json"),
  };
}
