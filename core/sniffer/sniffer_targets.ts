import { writeSnapshotFile } from "../journal/write_snapshot_file.ts";
import { IPV4_REGEXP } from "./_ipv4.ts";

/** One decky the sniffer watches: its name and IPv4 address. */
export interface SnifferTarget {
  name: string;
  ip: string;
  /**
   * The host side of its network (bridge, or macvlan/ipvlan parent) when the
   * fleet's network config names it; absent: found from the host's addresses.
   */
  interface?: string;
}

/** A Linux interface name (IFNAMSIZ - 1), as the fleet file's `interface` takes it. */
const INTERFACE_REGEXP = /^[A-Za-z0-9_.:-]{1,15}$/;

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
 * IPv4 address are left out, and so is an `interface` that is no interface
 * name (the file is written by another process).
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
  return deckies.flatMap((d) => {
    if (
      typeof d !== "object" || d === null || typeof d.name !== "string" ||
      typeof d.ip !== "string" || !IPV4_REGEXP.test(d.ip)
    ) return [];
    const target: SnifferTarget = { name: d.name, ip: d.ip };
    if (typeof d.interface === "string" && INTERFACE_REGEXP.test(d.interface)) {
      target.interface = d.interface;
    }
    return [target];
  });
}
