import { publishRecordedTriggers } from "../attackers/publish_recorded_triggers.ts";
import type { JsonValue } from "../bus/mod.ts";
import type { TriggerInput } from "../db/mod.ts";
import { JournalCursorMovedError } from "../db/mod.ts";
import { decodeTriggerRecord } from "../journal/mod.ts";
import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
import { journalPositionField, listField } from "./batch_position_fields.ts";
import { type BatchStanding, batchStanding, compareJournalPositions } from "./batch_standing.ts";

/**
 * Stores one agent's canary batch as the local collector stores its own
 * journal: the triggers and the cursor of journal `canary@<host>` in one
 * transaction, then `canary.<token>.triggered` on the bus.
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
  const journal = `canary@${host}`;
  const { canaryJournals } = deps.repos;
  const standing = batchStanding(
    await canaryJournals.cursor(journal),
    { from, to },
    compareJournalPositions,
  );
  if (standing !== "next") return standing;
  try {
    const recorded = await canaryJournals.ingest(journal, from, to, triggers);
    const stored = publishRecordedTriggers(deps.bus, recorded);
    if (stored > 0) deps.log.info("canary triggers stored", { host, count: stored });
    return "next";
  } catch (e) {
    // Another consumer stored it in between: it stands elsewhere now, decided on redelivery.
    if (e instanceof JournalCursorMovedError) return "pending";
    throw e;
  }
}
