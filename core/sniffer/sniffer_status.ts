import { writeSnapshotFile } from "../journal/write_snapshot_file.ts";

/** How often the sniffer rewrites its status file. */
export const SNIFFER_STATUS_EVERY_MS = 5000;

/** The counters of a sniffer run: logged now and then, returned at the end, and in its status. */
export interface SnifferCounters {
  /** Frames the kernel filters accepted. */
  received: number;
  /** Dropped by the kernel: the capture buffer was full. */
  dropped: number;
  /** Dropped by the interface or its driver. */
  if_dropped: number;
  /** Client SYNs parsed. */
  syns: number;
  /** Fingerprint events journaled. */
  events: number;
  /** Events lost because the journal was full. */
  lost: number;
  /** Source addresses tracked now (the window of their last SYNs). */
  flows: number;
  /** Interfaces captured on now. */
  interfaces: string[];
}

/** The sniffer's counters, as it writes them to its status file (the collector publishes them). */
export interface SnifferStatus extends SnifferCounters {
  /** When the sniffer wrote this (ISO 8601). */
  at: string;
  started_at: string;
  /** Whether it is still capturing (false in the last status it writes on stopping). */
  running: boolean;
  /** Active prober counters; absent when the prober is off. */
  probes?: Record<string, number>;
}

const COUNTERS = [
  "received",
  "dropped",
  "if_dropped",
  "syns",
  "events",
  "lost",
  "flows",
] as const satisfies readonly (keyof SnifferStatus)[];

/**
 * Replaces the status file with `status` (atomically: the collector reads it
 * at any moment).
 *
 * @example
 * ```ts
 * import { snifferSpoolPaths } from "./sniffer_spool_paths.ts";
 * import { type SnifferStatus, writeSnifferStatus } from "./sniffer_status.ts";
 * declare const status: SnifferStatus;
 * await writeSnifferStatus(snifferSpoolPaths("/var/lib/decnet").statusFile, status);
 * ```
 */
export async function writeSnifferStatus(path: string, status: SnifferStatus): Promise<void> {
  await writeSnapshotFile(path, JSON.stringify(status) + "\n");
}

/**
 * A status file's text, checked (another process wrote it).
 *
 * @throws {SyntaxError} when it is not JSON or a field is missing or of another type
 * @example
 * ```ts
 * declare const text: string;
 * parseSnifferStatus(text).dropped;
 * ```
 */
export function parseSnifferStatus(text: string): SnifferStatus {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot read sniffer status: not JSON (${(e as Error).message})`);
  }
  const bad = (field: string) =>
    new SyntaxError(
      `Cannot read sniffer status: bad ${field}, got ${JSON.stringify(value?.[field])}`,
    );
  if (typeof value !== "object" || value === null) throw bad("document");
  for (const field of ["at", "started_at"]) {
    if (typeof value[field] !== "string" || Number.isNaN(Date.parse(value[field] as string))) {
      throw bad(field);
    }
  }
  if (typeof value.running !== "boolean") throw bad("running");
  for (const field of COUNTERS) {
    if (typeof value[field] !== "number" || !Number.isFinite(value[field])) throw bad(field);
  }
  if (!Array.isArray(value.interfaces) || !value.interfaces.every((i) => typeof i === "string")) {
    throw bad("interfaces");
  }
  const probes = value.probes;
  if (
    probes !== undefined &&
    (typeof probes !== "object" || probes === null ||
      !Object.values(probes).every((n) => typeof n === "number"))
  ) throw bad("probes");
  return value as unknown as SnifferStatus;
}
