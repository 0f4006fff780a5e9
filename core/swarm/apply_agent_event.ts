import type { Bus } from "../bus/mod.ts";
import type { Repositories } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { AgentEvent } from "./agent_event.ts";
import { CANARY_BATCH_KIND } from "./agent_canary_journals.ts";
import { SENSOR_BATCH_KIND } from "./agent_sensor_logs.ts";
import { SNIFFER_BATCH_KIND } from "./agent_sniffer_batches.ts";
import { applyCanaryBatch } from "./apply_canary_batch.ts";
import { applySensorBatch } from "./apply_sensor_batch.ts";
import { applySnifferBatch } from "./apply_sniffer_batch.ts";
import { applyFleetState } from "./apply_fleet_state.ts";
import { FLEET_STATE_KIND } from "./fleet_state_snapshot.ts";
import type { BatchStanding } from "./batch_standing.ts";

/** What applying an agent's batch needs on the master. */
export interface ApplyAgentEventDeps {
  repos: Pick<
    Repositories,
    "canaryJournals" | "attackers" | "tcpFingerprints" | "fleet" | "settings" | "swarmHosts"
  >;
  /** Where the rows written are published after each commit (as the local collector does). */
  bus: Bus;
  /** Which sources are benign now: every host's deckies, the operator's list. */
  isBenign(): Promise<(ip: string) => boolean>;
  log: Logger;
}

/**
 * How an applied batch stood: `next` was applied now, `done` was applied
 * before (nothing added), `pending` waits for an earlier batch of its
 * journal (deliver it again later), `overlap` cannot be applied (logged).
 */
export type AppliedStanding = BatchStanding;

/**
 * Applies one agent event to the master's domain, attributed to `host`:
 * canary batches become triggers (journal `canary@<host>`), sensor batches
 * service events and attackers (container `<host>/<id>`), sniffer batches
 * fingerprints and probes on attackers (journal `sniffer@<host>`). Each
 * journal's cursor on the master makes a batch count once, whatever the
 * deliveries. A fleet snapshot becomes the host's fleet rows (see
 * {@linkcode applyFleetState}).
 *
 * @returns how the batch stood, or null for a kind this master does not apply
 * @throws {TypeError} for a malformed batch (naming the field); the database's errors
 * @example
 * ```ts
 * import type { AgentEvent } from "./agent_event.ts";
 * import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
 * import { applyAgentEvent } from "./apply_agent_event.ts";
 * declare const deps: ApplyAgentEventDeps;
 * declare const event: AgentEvent;
 * await applyAgentEvent(deps, "dmz-1", event); // "next" when stored now
 * ```
 */
export async function applyAgentEvent(
  deps: ApplyAgentEventDeps,
  host: string,
  event: AgentEvent,
): Promise<AppliedStanding | null> {
  switch (event.kind) {
    case CANARY_BATCH_KIND:
      return await applyCanaryBatch(deps, host, event.fields);
    case SENSOR_BATCH_KIND:
      return await applySensorBatch(deps, host, event.fields);
    case SNIFFER_BATCH_KIND:
      return await applySnifferBatch(deps, host, event.fields);
    case FLEET_STATE_KIND:
      return await applyFleetState(deps, host, event);
    default:
      return null;
  }
}
