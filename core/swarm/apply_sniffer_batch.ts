import { recordTcpFingerprint } from "../attackers/record_tcp_fingerprint.ts";
import { recordTcpProbe } from "../attackers/record_tcp_probe.ts";
import type { JsonValue } from "../bus/mod.ts";
import type { JournalPosition } from "../db/mod.ts";
import { JournalCursorMovedError } from "../db/mod.ts";
import { parseTcpFingerprint } from "../sniffer/parse_tcp_fingerprint.ts";
import { parseTcpProbe } from "../sniffer/tcp_probe.ts";
import type { SnifferBatchRecord } from "./agent_sniffer_batches.ts";
import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
import { journalPositionField, listField, positionListField } from "./batch_position_fields.ts";
import type { BatchStanding } from "./batch_standing.ts";
import { journalBatchToApply } from "./journal_batch_to_apply.ts";

/**
 * Stores one agent's sniffer batch as the local collector stores its own
 * sniffer journal: each fingerprint and probe on its attacker record (and
 * published), then the cursor of journal `sniffer@<host>`. As locally, a
 * crash between the two stores a record again, which leaves the
 * attacker's snapshot as it was. A batch that overlaps the stored cursor
 * (its agent lost its own) is taken up from the cursor by where each record
 * ends.
 *
 * @throws {TypeError} naming a bad field
 * @example
 * ```ts
 * import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
 * import { applySnifferBatch } from "./apply_sniffer_batch.ts";
 * declare const deps: ApplyAgentEventDeps;
 * await applySnifferBatch(deps, "dmz-1", { from: { segment: 0, offset: 0 }, to: { segment: 0, offset: 0 }, records: [] });
 * ```
 */
export async function applySnifferBatch(
  deps: ApplyAgentEventDeps,
  host: string,
  fields: { [key: string]: JsonValue },
): Promise<BatchStanding> {
  const from = journalPositionField(fields, "from");
  const to = journalPositionField(fields, "to");
  const values = listField(fields, "records");
  const records: SnifferBatchRecord[] = values.map((value, i) => {
    const record = (value ?? {}) as Record<string, unknown>;
    try {
      if ("probe" in record) return { probe: parseTcpProbe(record.probe) };
      return { fingerprint: parseTcpFingerprint(record.fingerprint) };
    } catch (e) {
      throw new TypeError(`Bad agent batch: records[${i}]: ${(e as Error).message}`);
    }
  });
  // Where each record ends, when the agent says so for every one.
  const ends = values.every((v) => (v as Record<string, JsonValue>)?.end !== undefined)
    ? positionListField<JournalPosition>(
      { ends: values.map((v) => (v as Record<string, JsonValue>).end) },
      "ends",
      values.length,
      "journal",
    )
    : undefined;
  const journal = `sniffer@${host}`;
  const plan = await journalBatchToApply(deps, {
    host,
    journal,
    from,
    to,
    items: records,
    positions: ends,
  });
  if (plan.standing !== "next") return plan.standing;
  const { start, items: rest } = plan;
  const recordDeps = { repos: deps.repos, bus: deps.bus, isBenign: await deps.isBenign() };
  for (const record of rest) {
    if ("probe" in record) await recordTcpProbe(recordDeps, record.probe);
    else await recordTcpFingerprint(recordDeps, record.fingerprint);
  }
  try {
    // The canary journals' cursor table keys every journal's cursor; an empty batch moves it.
    await deps.repos.canaryJournals.ingest(journal, start, to, []);
    return "next";
  } catch (e) {
    if (e instanceof JournalCursorMovedError) return "pending";
    throw e;
  }
}
