import type { TriggerInput } from "../../core/db/mod.ts";

/** An active (issued or planted) token, as the receiver needs it. */
export interface ActiveToken {
  uuid: string;
  /** The slug as minted. */
  callbackToken: string;
}

/**
 * One callback to store: the canary_triggers row without its id (the
 * repository's input). `srcIp` is the peer after trusted proxies (HTTP) or
 * the resolver (DNS); `dnsQname` keeps the letter case as asked; for DNS,
 * `headers` holds qtype, transport and the data labels.
 */
export type TriggerRecord = TriggerInput;

/**
 * Where the receiver looks tokens up and records triggers: the canary
 * repository plus the bus in production, a memory one in tests.
 */
export interface TriggerSink {
  /** Active token for a slug, exact match (HTTP). */
  findActiveBySlug(slug: string): Promise<ActiveToken | null>;
  /** Active token by lower-cased slug (DNS ignores letter case). */
  findActiveBySlugLc(slugLc: string): Promise<ActiveToken | null>;
  /**
   * Inserts the trigger row and bumps the token's trigger_count and
   * last_triggered_at in one transaction, then publishes
   * `canary.<token>.triggered`.
   */
  recordTrigger(trigger: TriggerRecord): Promise<void>;
  /**
   * Optional: records several triggers in one transaction (each row with its
   * token's counters), then publishes one event per trigger. The receiver
   * uses it to group writes under load.
   */
  recordTriggers?(triggers: TriggerRecord[]): Promise<void>;
}
