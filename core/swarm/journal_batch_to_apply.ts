import type { JournalPosition } from "../db/mod.ts";
import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
import { type BatchToApply, batchToApply, compareJournalPositions } from "./batch_standing.ts";

/** One agent's batch of a journal whose cursor the canary journals' table keeps. */
export interface JournalBatch<T> {
  host: string;
  /** The cursor's name: `canary@<host>`, `sniffer@<host>`. */
  journal: string;
  from: JournalPosition;
  to: JournalPosition;
  items: T[];
  /** Where each item ends, when the agent said so for every one. */
  positions?: readonly JournalPosition[];
}

/**
 * Reads the journal's stored cursor and decides with {@linkcode batchToApply}
 * what of `batch` to apply; a batch taken up at the cursor is logged.
 *
 * @example
 * ```ts
 * import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
 * import { journalBatchToApply } from "./journal_batch_to_apply.ts";
 * declare const deps: ApplyAgentEventDeps;
 * const from = { segment: 0, offset: 0 };
 * const plan = await journalBatchToApply(deps, { host: "dmz-1", journal: "canary@dmz-1", from, to: from, items: [] });
 * if (plan.standing === "next") plan.start;
 * ```
 */
export async function journalBatchToApply<T>(
  deps: Pick<ApplyAgentEventDeps, "repos" | "log">,
  batch: JournalBatch<T>,
): Promise<BatchToApply<T, JournalPosition>> {
  const { host, journal } = batch;
  const stored = await deps.repos.canaryJournals.cursor(journal);
  const plan = batchToApply(stored, batch, compareJournalPositions);
  if (plan.standing === "next" && plan.takenUp) {
    deps.log.warn("swarm batch taken up from the stored cursor", { host, journal });
  }
  return plan;
}
