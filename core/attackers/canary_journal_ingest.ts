import type { Bus, Subscription } from "../bus/mod.ts";
import { TOPIC_PATTERNS } from "../bus/mod.ts";
import type {
  CanaryJournalRepository,
  JournalPosition,
  RecordedTriggers,
  TriggerInput,
} from "../db/mod.ts";
import { JournalFollower } from "../journal/journal_follower.ts";
import type { CanarySpoolPaths, JournalRecord } from "../journal/mod.ts";
import { decodeTriggerRecord, writeActiveTokens } from "../journal/mod.ts";
import type { Logger } from "../log/mod.ts";
import { publishRecordedTriggers } from "./publish_recorded_triggers.ts";

/**
 * Where the ingest stores: the database's `CanaryJournalRepository`, or a
 * swarm agent's, which also takes where each trigger's record ends (`ends`)
 * so the master can take up a batch from the middle, and says how many
 * triggers it `forwarded` to the master instead of storing them.
 */
export interface CanaryJournalStore
  extends Pick<CanaryJournalRepository, "cursor" | "activeTokens"> {
  ingest(
    journal: string,
    from: JournalPosition,
    to: JournalPosition,
    triggers: TriggerInput[],
    ends?: readonly JournalPosition[],
  ): Promise<RecordedTriggers & { forwarded?: number }>;
}

/** Options for {@linkcode CanaryJournalIngest}. */
export interface CanaryJournalIngestOptions {
  /** Cursor name, one per journal (per host): e.g. `canary@local`. */
  journal: string;
  spool: CanarySpoolPaths;
  /** The database's, or a swarm agent's (which sends each batch to the master). */
  repository: CanaryJournalStore;
  bus: Bus;
  log: Logger;
  /** Pause between polls of an idle journal. @default 100 */
  pollMs?: number;
  /** The active tokens snapshot is rewritten at least this often. @default 1000 */
  tokensEveryMs?: number;
  /** Records per transaction. @default 500 */
  batch?: number;
}

/** What the ingest has done (heartbeat extras). */
export interface CanaryJournalIngestStats {
  /** Triggers stored since start. */
  ingested: number;
  /** Journal lines that were not triggers, or named no token. */
  skipped: number;
  /** Whether the last database call succeeded. */
  database: "up" | "down";
  /** Where the ingest stands: `<segment>:<byte offset>`. */
  cursor: string | null;
  active_tokens: number | null;
  last_error: string | null;
}

/**
 * The collector's first duty: reads the canary trigger journal in order,
 * stores each batch with the journal's cursor in one transaction (exactly
 * once, whatever crashes), publishes `canary.<token>.triggered` after the
 * commit (best effort), removes segments fully stored, and keeps the
 * active tokens snapshot in the canary spool fresh (every second, and at once on a `canary.*.placed` or `.revoked` hint). While
 * the database is unreachable it retries; the journal waits on disk.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Logger } from "../log/logger.ts";
 * import type { Repositories } from "../db/repositories.ts";
 * import { canarySpoolPaths } from "../journal/spool_paths.ts";
 * import { CanaryJournalIngest } from "./canary_journal_ingest.ts";
 * declare const bus: Bus;
 * declare const log: Logger;
 * declare const repos: Repositories;
 * const spool = canarySpoolPaths("/var/lib/decnet");
 * const repository = repos.canaryJournals;
 * await using ingest = new CanaryJournalIngest({ journal: "canary@local", spool, repository, bus, log });
 * ingest.start();
 * ```
 */
export class CanaryJournalIngest implements AsyncDisposable {
  readonly #o: CanaryJournalIngestOptions;
  readonly #follower: JournalFollower;
  #hints: Subscription[] = [];
  readonly #stats = { ingested: 0, skipped: 0, active_tokens: null as number | null };

  constructor(options: CanaryJournalIngestOptions) {
    this.#o = options;
    const { journal, repository } = options;
    this.#follower = new JournalFollower({
      what: "canary journal",
      dir: options.spool.journalDir,
      cursor: () => repository.cursor(journal),
      store: (from, to, records) => this.#store(from, to, records),
      refresh: () => this.refreshTokens().then(() => {}),
      log: options.log,
      pollMs: options.pollMs ?? 100,
      refreshEveryMs: options.tokensEveryMs ?? 1000,
      batch: options.batch ?? 500,
    });
  }

  /** Starts ingesting and refreshing the snapshot in the background. */
  start(): void {
    if (this.#hints.length > 0) return;
    const hint = () => this.#follower.refreshSoon();
    this.#hints = [
      this.#o.bus.subscribe(TOPIC_PATTERNS.canaryPlaced, hint),
      this.#o.bus.subscribe(TOPIC_PATTERNS.canaryRevoked, hint),
    ];
    this.#follower.start();
  }

  stats(): CanaryJournalIngestStats {
    const state = this.#follower.state();
    return {
      ingested: this.#stats.ingested,
      skipped: this.#stats.skipped + state.torn,
      database: state.lastError ? "down" : "up",
      cursor: state.cursor,
      active_tokens: this.#stats.active_tokens,
      last_error: state.lastError,
    };
  }

  /**
   * Ingests what the journal holds now, batch after batch, until it is
   * drained; returns the number of triggers stored.
   *
   * @throws {Error} when the database refuses (nothing is lost: the cursor did not move)
   */
  drain(): Promise<number> {
    return this.#follower.drain();
  }

  /** Writes the active tokens snapshot now; returns whether it changed. */
  async refreshTokens(): Promise<boolean> {
    const tokens = await this.#o.repository.activeTokens();
    this.#stats.active_tokens = tokens.length;
    const changed = await writeActiveTokens(this.#o.spool.tokensFile, tokens);
    if (changed) this.#o.log.debug("active tokens snapshot written", { tokens: tokens.length });
    return changed;
  }

  async close(): Promise<void> {
    for (const h of this.#hints) h.unsubscribe();
    await this.#follower.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** One batch with the cursor in one transaction (exactly once), then published. */
  async #store(
    from: JournalRecord["end"],
    to: JournalRecord["end"],
    records: readonly JournalRecord[],
  ): Promise<number> {
    const triggers: TriggerInput[] = [];
    const ends: JournalPosition[] = [];
    for (const record of records) {
      const trigger = decodeTriggerRecord(record.text);
      if (trigger) {
        triggers.push(trigger);
        ends.push(record.end);
      } else this.#stats.skipped++;
    }
    const recorded = await this.#o.repository.ingest(this.#o.journal, from, to, triggers, ends);
    // A swarm agent stores nothing itself: it forwards the batch to the master, which stores it.
    const stored = publishRecordedTriggers(this.#o.bus, recorded) + (recorded.forwarded ?? 0);
    this.#stats.ingested += stored;
    this.#stats.skipped += triggers.length - stored;
    if (recorded.forwarded) {
      this.#o.log.info("canary triggers sent to the swarm master", { count: recorded.forwarded });
    } else if (stored > 0) this.#o.log.info("canary triggers stored", { count: stored });
    return stored;
  }
}
