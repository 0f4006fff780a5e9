import { join } from "node:path";

const SEGMENT_REGEXP = /^(\d{16})\.jsonl$/;

/** The file name of segment `n` (zero-padded so names sort like numbers). */
export function segmentName(n: number): string {
  return `${String(n).padStart(16, "0")}.jsonl`;
}

/**
 * The journal's segments, oldest first, with their sizes (an absent
 * directory has none).
 *
 * @example
 * ```ts
 * import { listSegments } from "./segment_names.ts";
 * const dir = "/var/lib/decnet/spool/canary/journal";
 * for (const s of await listSegments(dir)) console.log(s.number, s.size);
 * ```
 */
export async function listSegments(
  dir: string,
): Promise<{ number: number; path: string; size: number }[]> {
  const found: { number: number; path: string; size: number }[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const m = entry.isFile ? SEGMENT_REGEXP.exec(entry.name) : null;
      if (!m) continue;
      const path = join(dir, entry.name);
      try {
        found.push({ number: Number(m[1]), path, size: (await Deno.stat(path)).size });
      } catch (e) {
        // Removed by the ingest between the listing and the stat.
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return found.sort((a, b) => a.number - b.number);
}
