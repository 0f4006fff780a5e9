/** Where a batch stands against the cursor the master stored for its journal. */
export type BatchStanding =
  /** The cursor is at its start: apply it. */
  | "next"
  /** The cursor is at or past its end: applied before, add nothing. */
  | "done"
  /** The cursor is before its start: an earlier batch has not come yet. */
  | "pending"
  /** The cursor is inside it: the agent cut its journal differently (it lost its own cursor). */
  | "overlap";

/**
 * The items of an overlapping batch past the stored cursor (an agent that
 * lost its own cursor sends again from further back, cut differently).
 *
 * @param positions where each item ends, as the agent sent them
 * @returns those items, or null when the batch says no position for each
 * @example
 * ```ts
 * import { compareJournalPositions, itemsAfter } from "./batch_standing.ts";
 * const ends = [{ segment: 0, offset: 10 }, { segment: 0, offset: 20 }];
 * itemsAfter({ segment: 0, offset: 10 }, ["a", "b"], ends, compareJournalPositions); // ["b"]
 * ```
 */
export function itemsAfter<T, P>(
  stored: P,
  items: readonly T[],
  positions: readonly P[] | undefined,
  compare: (a: P, b: P) => number,
): T[] | null {
  if (!positions || positions.length !== items.length) return null;
  return items.filter((_, i) => compare(positions[i], stored) > 0);
}

/**
 * Compares the stored cursor with a batch's bounds.
 *
 * @param compare orders two positions (negative, zero, positive)
 * @example
 * ```ts
 * import { batchStanding, compareJournalPositions } from "./batch_standing.ts";
 * const from = { segment: 0, offset: 0 };
 * const to = { segment: 0, offset: 90 };
 * batchStanding(to, { from, to }, compareJournalPositions); // "done"
 * ```
 */
export function batchStanding<P>(
  stored: P,
  batch: { from: P; to: P },
  compare: (a: P, b: P) => number,
): BatchStanding {
  if (compare(stored, batch.from) === 0) return "next";
  if (compare(stored, batch.to) >= 0) return "done";
  if (compare(stored, batch.from) < 0) return "pending";
  return "overlap";
}

/** What of a batch to apply: from `start`, `items` (fewer when it was taken up at the cursor). */
export type BatchToApply<T, P> =
  | { standing: "next"; start: P; items: T[]; takenUp: boolean }
  | { standing: Exclude<BatchStanding, "next"> };

/**
 * Decides what of a batch to apply against the stored cursor: all of it
 * when the cursor is at its start, the items past the cursor when it is
 * inside it and the batch says where each item ends (`takenUp`), nothing
 * otherwise (`done`, `pending`, or `overlap` without positions).
 *
 * @example
 * ```ts
 * import { batchToApply, compareJournalPositions } from "./batch_standing.ts";
 * const from = { segment: 0, offset: 0 };
 * const to = { segment: 0, offset: 20 };
 * const positions = [{ segment: 0, offset: 10 }, to];
 * batchToApply(positions[0], { from, to, items: ["a", "b"], positions }, compareJournalPositions);
 * // { standing: "next", start: { segment: 0, offset: 10 }, items: ["b"], takenUp: true }
 * ```
 */
export function batchToApply<T, P>(
  stored: P,
  batch: { from: P; to: P; items: T[]; positions?: readonly P[] },
  compare: (a: P, b: P) => number,
): BatchToApply<T, P> {
  const standing = batchStanding(stored, batch, compare);
  if (standing === "next") {
    return { standing, start: batch.from, items: batch.items, takenUp: false };
  }
  if (standing !== "overlap") return { standing };
  const after = itemsAfter(stored, batch.items, batch.positions, compare);
  if (after === null) return { standing };
  return { standing: "next", start: stored, items: after, takenUp: true };
}

/** Orders canary or sniffer journal positions (segment, then byte offset). */
export function compareJournalPositions(
  a: { segment: number; offset: number },
  b: { segment: number; offset: number },
): number {
  return a.segment - b.segment || a.offset - b.offset;
}

const LOG_TIME_REGEXP = /^([^.Z]+)(?:\.(\d{1,9}))?Z$/;

/**
 * Orders sensor log positions: Docker's RFC 3339 times with up to 9
 * fraction digits and trailing zeros dropped (so not as strings), then the
 * lines stored at that time; "" (nothing stored) comes first.
 */
export function compareLogPositions(
  a: { logTime: string; linesAtTime: number },
  b: { logTime: string; linesAtTime: number },
): number {
  const ta = logTimeKey(a.logTime);
  const tb = logTimeKey(b.logTime);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.linesAtTime - b.linesAtTime;
}

function logTimeKey(time: string): string {
  if (time === "") return "";
  const m = LOG_TIME_REGEXP.exec(time);
  if (!m) throw new TypeError(`Bad sensor log time: got "${time.slice(0, 40)}"`);
  return `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}`;
}
