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
 * Where the receiver looks tokens up and records triggers: the active
 * tokens snapshot and the trigger journal in production
 * (`JournalTriggerSink`), a memory one in tests.
 */
export interface TriggerSink {
  /** Active token for a slug, exact match (HTTP). */
  findActiveBySlug(slug: string): Promise<ActiveToken | null>;
  /**
   * Optional: findActiveBySlug's answer at once, when the sink holds the
   * tokens in memory (the HTTP listener then takes no promise per request).
   */
  activeBySlug?(slug: string): ActiveToken | null;
  /** Active token by lower-cased slug (DNS ignores letter case). */
  findActiveBySlugLc(slugLc: string): Promise<ActiveToken | null>;
  /** Resolves once the trigger is durable (journaled, or stored). */
  recordTrigger(trigger: TriggerRecord): Promise<void>;
  /** Optional: records several triggers in one write (the receiver groups them under load). */
  recordTriggers?(triggers: TriggerRecord[]): Promise<void>;
  /**
   * Optional: resolves when a recording started now would be durable,
   * writing nothing. The HTTP listener awaits it for unknown slugs, so they
   * are answered after the same wait as known ones.
   */
  settle?(): Promise<void>;
}
