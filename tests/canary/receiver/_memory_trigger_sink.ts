import type { ActiveToken, TriggerRecord, TriggerSink } from "../../../canary/receiver/mod.ts";

/** A TriggerSink over arrays, for tests: tokens are added with `add`. */
export class MemoryTriggerSink implements TriggerSink {
  readonly tokens: ActiveToken[] = [];
  readonly triggers: TriggerRecord[] = [];
  lookups = 0;
  /** When set, lookups throw it (a database outage). */
  failWith: Error | null = null;

  add(token: ActiveToken): ActiveToken {
    this.tokens.push(token);
    return token;
  }

  findActiveBySlug(slug: string): Promise<ActiveToken | null> {
    this.lookups++;
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(this.tokens.find((t) => t.callbackToken === slug) ?? null);
  }

  findActiveBySlugLc(slugLc: string): Promise<ActiveToken | null> {
    this.lookups++;
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(
      this.tokens.find((t) => t.callbackToken.toLowerCase() === slugLc) ?? null,
    );
  }

  recordTrigger(trigger: TriggerRecord): Promise<void> {
    this.triggers.push(trigger);
    return Promise.resolve();
  }
}

/** A slug shaped like a minted one (22 URL-safe characters). */
export const SLUG = "Ab3dEf6hIj9kLm2nOp5qRs";
