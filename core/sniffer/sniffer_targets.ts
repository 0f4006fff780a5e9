import { writeSnapshotFile } from "../journal/write_snapshot_file.ts";
import { IPV4_REGEXP } from "./_ipv4.ts";

/** One decky the sniffer watches: its name and IPv4 address. */
export interface SnifferTarget {
  name: string;
  ip: string;
}

/**
 * Writes the targets snapshot (the collector does, from the running deckies)
 * atomically; returns false when it already held exactly these.
 *
 * @example
 * ```ts
 * import { writeSnifferTargets } from "./sniffer_targets.ts";
 * await writeSnifferTargets("/var/lib/decnet/spool/sniffer/targets.json", [{ name: "ws-01", ip: "192.0.2.10" }]);
 * ```
 */
export async function writeSnifferTargets(
  path: string,
  targets: readonly SnifferTarget[],
): Promise<boolean> {
  const sorted = [...targets].sort((a, b) =>
    a.ip.localeCompare(b.ip) || a.name.localeCompare(b.name)
  );
  return await writeSnapshotFile(path, JSON.stringify({ deckies: sorted }) + "\n");
}

/**
 * The targets in a snapshot's text: entries that are not a name and an
 * IPv4 address are left out (the file is written by another process).
 *
 * @throws {SyntaxError} when the text is not a snapshot
 * @example
 * ```ts
 * parseSnifferTargets('{"deckies":[{"name":"ws-01","ip":"192.0.2.10"}]}'); // [{ name: "ws-01", ip: "192.0.2.10" }]
 * ```
 */
export function parseSnifferTargets(text: string): SnifferTarget[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot read sniffer targets: not JSON (${(e as Error).message})`);
  }
  const deckies = (parsed as { deckies?: unknown } | null)?.deckies;
  if (!Array.isArray(deckies)) {
    throw new SyntaxError('Cannot read sniffer targets: expected {"deckies": [...]}');
  }
  return deckies.flatMap((d) =>
    typeof d === "object" && d !== null && typeof d.name === "string" &&
      typeof d.ip === "string" && IPV4_REGEXP.test(d.ip)
      ? [{ name: d.name, ip: d.ip }]
      : []
  );
}
