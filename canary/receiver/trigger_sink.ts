/** An active (issued or planted) token, as the receiver needs it. */
export interface ActiveToken {
  uuid: string;
  /** The slug as minted. */
  callbackToken: string;
}

/** One callback to store: the canary_triggers row without its id. */
export interface TriggerRecord {
  tokenUuid: string;
  occurredAt: Date;
  /** Peer address (HTTP, after trusted proxies) or the resolver's address (DNS). */
  srcIp: string;
  userAgent: string | null;
  method: string | null;
  requestPath: string | null;
  /** The question name as asked, letter case included. */
  dnsQname: string | null;
  /** EDNS Client Subnet ("198.51.100.0/24") when the resolver sent one. */
  dnsClientSubnet: string | null;
  /** HTTP request headers; for DNS: qtype, transport and the data labels. */
  headers: Record<string, string>;
}

/**
 * Where the receiver looks tokens up and records triggers. The lead wires it
 * to the canary repositories in core/db and the bus; tests pass a memory one.
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
