import { publishRecordedTriggers } from "../attackers/publish_recorded_triggers.ts";
import type { JsonValue } from "../bus/mod.ts";
import type { JournalPosition, TriggerInput } from "../db/mod.ts";
import { JournalCursorMovedError } from "../db/mod.ts";
import { decodeTriggerRecord } from "../journal/mod.ts";
import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
import { journalPositionField, listField, positionListField } from "./batch_position_fields.ts";
import type { BatchStanding } from "./batch_standing.ts";
import { journalBatchToApply } from "./journal_batch_to_apply.ts";

/**
 * Stores one agent's canary batch as the local collector stores its own
 * journal: the triggers and the cursor of journal `canary@<host>` in one
 * transaction, then `canary.<token>.triggered` on the bus. A batch that
 * overlaps the stored cursor (its agent lost its own) is taken up from the
 * cursor by where each trigger's record ends (`ends`).
 *
 * @throws {TypeError} naming a bad field
 * @example
 * ```ts
 * import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
 * import { applyCanaryBatch } from "./apply_canary_batch.ts";
 * declare const deps: ApplyAgentEventDeps;
 * await applyCanaryBatch(deps, "dmz-1", { from: { segment: 0, offset: 0 }, to: { segment: 0, offset: 0 }, triggers: [] });
 * ```
 */
export async function applyCanaryBatch(
  deps: ApplyAgentEventDeps,
  host: string,
  fields: { [key: string]: JsonValue },
): Promise<BatchStanding> {
  const from = journalPositionField(fields, "from");
  const to = journalPositionField(fields, "to");
  const triggers: TriggerInput[] = [];
  for (const [i, record] of listField(fields, "triggers").entries()) {
    const trigger = typeof record === "string" ? decodeTriggerRecord(record) : null;
    if (!trigger) throw new TypeError(`Bad agent batch: triggers[${i}] is not a trigger record`);
    triggers.push(trigger);
  }
  const ends = positionListField<JournalPosition>(fields, "ends", triggers.length, "journal");
  const journal = `canary@${host}`;
  const plan = await journalBatchToApply(deps, {
    host,
    journal,
    from,
    to,
    items: triggers,
    positions: ends,
  });
  if (plan.standing !== "next") return plan.standing;
  const { start, items: rest } = plan;
  try {
    const recorded = await deps.repos.canaryJournals.ingest(journal, start, to, rest);
    const count = publishRecordedTriggers(deps.bus, recorded);
    if (count > 0) deps.log.info("canary triggers stored", { host, count });
    return "next";
  } catch (e) {
    // Another consumer stored it in between: it stands elsewhere now, decided on redelivery.
    if (e instanceof JournalCursorMovedError) return "pending";
    throw e;
  }
}
