import { createHash } from "node:crypto";
import type { JsonValue } from "../bus/mod.ts";

/**
 * The event id of one agent batch: a hash of the agent, the journal (or
 * container) and the batch's bounds, so a batch published again after a
 * crash or a lost acknowledgement carries the same id and JetStream and
 * the master keep it once. 64 hex characters (an agent event id).
 *
 * @example
 * ```ts
 * import { agentBatchId } from "./agent_batch_id.ts";
 * agentBatchId({ host: "dmz-1", journal: "canary", from: { segment: 0, offset: 0 }, to: { segment: 0, offset: 120 } });
 * ```
 */
export function agentBatchId(
  batch: { host: string; journal: string; from: JsonValue; to: JsonValue },
): string {
  // JSON of fixed key order: the same batch always hashes alike.
  const text = JSON.stringify([batch.host, batch.journal, batch.from, batch.to]);
  return createHash("sha256").update(text).digest("hex");
}
