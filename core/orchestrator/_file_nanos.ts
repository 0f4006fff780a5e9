// Folder-private: the sub-second part given to a planted file's mtime.
import { createHash } from "node:crypto";

/**
 * Nanoseconds of `date`'s second for the file at `path`: the date's
 * milliseconds, then digits stable per path and time, so files do not all
 * end in .000000000.
 */
export function fileNanos(date: Date, path: string): number {
  const digest = createHash("sha256").update(`${path}\0${date.toISOString()}`).digest();
  return date.getUTCMilliseconds() * 1_000_000 + digest.readUInt32BE(0) % 1_000_000;
}
