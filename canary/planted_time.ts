import { createHash } from "node:crypto";

/** Options of {@linkcode plantedTime}. */
export interface PlantedTimeOptions {
  /** The decky's OS install instant; null when unknown. */
  installedAt: Date | null;
  now: Date;
  /** Varies the sub-second digits and the shift per file (e.g. slug and path). */
  seed: string;
}

/**
 * The mtime to give a planted file, as `touch -d` reads it in UTC
 * (`YYYY-MM-DD hh:mm:ss.nnnnnnnnn`): the artifact's own time, moved after the
 * OS install when it would predate it (no file of a user is older than the
 * system), with nanoseconds from the seed: files written by programs never
 * all end in .000000000.
 *
 * @param modifiedAt the artifact's pretended modification time (ISO 8601)
 * @param options install date, clock and seed
 * @returns the touch stamp
 * @throws {RangeError} when modifiedAt is not a date
 * @example
 * ```ts
 * plantedTime("2024-03-01T10:00:00Z", { installedAt: null, now: new Date(), seed: "slug:~/a" });
 * // "2024-03-01 10:00:00.538213407"
 * ```
 */
export function plantedTime(modifiedAt: string, options: PlantedTimeOptions): string {
  let ms = Date.parse(modifiedAt);
  if (Number.isNaN(ms)) {
    throw new RangeError(
      `Cannot plant: expected an ISO 8601 modification time, got "${modifiedAt}"`,
    );
  }
  const digest = createHash("sha256").update(options.seed).digest();
  const installed = options.installedAt?.getTime();
  const now = options.now.getTime();
  if (installed !== undefined && ms < installed && installed < now) {
    // Somewhere in the first nine tenths of the machine's life, stable per file.
    const share = 0.05 + 0.85 * (digest.readUInt32BE(4) / 2 ** 32);
    ms = installed + Math.floor((now - installed) * share);
  }
  const nanos = digest.readUInt32BE(0) % 1_000_000_000;
  const seconds = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  return `${seconds.replace("T", " ")}.${String(nanos).padStart(9, "0")}`;
}
