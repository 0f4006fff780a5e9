import type { Transaction } from "kysely";
import type { Database } from "../schema.ts";

/** What `domain_events` records: a change whose bus message must not be lost. */
export const DOMAIN_EVENT_KINDS = [
  "decky_state",
  "campaign_formed",
  "campaign_merged",
  "campaign_unmerged",
] as const;

/** One of {@linkcode DOMAIN_EVENT_KINDS}. */
export type DomainEventKind = typeof DOMAIN_EVENT_KINDS[number];

/** A domain event as its producer hands it over: the bus payload it publishes too. */
export interface DomainEventInput {
  kind: DomainEventKind;
  payload: Record<string, unknown>;
}

/** Appends events inside the producer's own transaction, so the change and its event commit together. */
export async function appendDomainEvents(
  trx: Transaction<Database>,
  events: readonly DomainEventInput[],
  now: string,
): Promise<void> {
  for (const e of events) {
    await trx.insertInto("domain_events")
      .values({ kind: e.kind, payload: JSON.stringify(e.payload), occurred_at: now }).execute();
  }
}
