import type { Bus, Subscription } from "../bus/mod.ts";
import { canaryTopic, TOPIC_PATTERNS } from "../bus/mod.ts";
import type {
  CanaryJournalRepository,
  JournalPosition,
  RecordedTriggers,
  TriggerInput,
  TriggerView,
} from "../db/mod.ts";
import { JournalCursorMovedError } from "../db/mod.ts";
import type { CanarySpoolPaths } from "../journal/mod.ts";
import {
  decodeTriggerRecord,
  listSegments,
  readJournal,
  writeActiveTokens,
} from "../journal/mod.ts";
import type { Logger } from "../log/mod.ts";
import { canaryTriggerEvent } from "./canary_trigger_event.ts";

/** Options for {@linkcode CanaryJournalIngest}. */
export interface CanaryJournalIngestOptions {
  /** Cursor name, one per journal (per host): e.g. `canary@local`. */
  journal: string;
  spool: CanarySpoolPaths;
  repository: CanaryJournalRepository;
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
  readonly #o: Required<CanaryJournalIngestOptions>;
  #cursor: JournalPosition | null = null;
  #hints: Subscription[] = [];
  #tokensDue = 0;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #closed = false;
  #lastDownLog = -Infinity;
  readonly #stats: CanaryJournalIngestStats = {
    ingested: 0,
    skipped: 0,
    database: "up",
    cursor: null,
    active_tokens: null,
    last_error: null,
  };

  constructor(options: CanaryJournalIngestOptions) {
    this.#o = { pollMs: 100, tokensEveryMs: 1000, batch: 500, ...options };
  }

  /** Starts ingesting and refreshing the snapshot in the background. */
  start(): void {
    if (this.#loop) return;
    const hint = () => {
      this.#tokensDue = 0;
      this.#wake?.();
    };
    this.#hints = [
      this.#o.bus.subscribe(TOPIC_PATTERNS.canaryPlaced, hint),
      this.#o.bus.subscribe(TOPIC_PATTERNS.canaryRevoked, hint),
    ];
    this.#loop = this.#run();
  }

  stats(): CanaryJournalIngestStats {
    return { ...this.#stats };
  }

  /**
   * Ingests what the journal holds now, batch after batch, until it is
   * drained; returns the number of triggers stored.
   *
   * @throws {Error} when the database refuses (nothing is lost: the cursor did not move)
   */
  async drain(): Promise<number> {
    let stored = 0;
    for (;;) {
      const step = await this.#step();
      stored += step.stored;
      if (!step.more) return stored;
    }
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
    this.#closed = true;
    for (const h of this.#hints) h.unsubscribe();
    this.#wake?.();
    await this.#loop;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      try {
        if (Date.now() >= this.#tokensDue) {
          await this.refreshTokens();
          this.#tokensDue = Date.now() + this.#o.tokensEveryMs;
        }
        await this.drain();
        if (this.#stats.database === "down") this.#o.log.info("database reachable again");
        this.#stats.database = "up";
        this.#stats.last_error = null;
      } catch (e) {
        this.#cursor = null;
        this.#stats.database = "down";
        this.#stats.last_error = e instanceof Error ? e.message : String(e);
        if (performance.now() - this.#lastDownLog >= 10_000) {
          this.#lastDownLog = performance.now();
          this.#o.log.warn("cannot ingest the canary journal; retrying", {
            error: this.#stats.last_error,
          });
        }
      }
      if (this.#closed) break;
      const pause = this.#stats.database === "down" ? 1000 : this.#o.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  /**
   * After the commit, best effort: one event per row written (a trigger
   * stored on its own, a rollup row created or grown with its total hits),
   * each the row a reload shows. Returns the triggers stored.
   */
  #publish(recorded: RecordedTriggers): number {
    const { bus } = this.#o;
    const publish = (t: TriggerView) =>
      bus.publish(canaryTopic(t.token_uuid, "triggered"), canaryTriggerEvent(t));
    recorded.stored.forEach(publish);
    let folded = 0;
    for (const r of recorded.rollups) {
      folded += r.added;
      publish(r.trigger);
    }
    return recorded.stored.length + folded;
  }

  /** One batch: read, store with the cursor, publish, remove stored segments. */
  async #step(): Promise<{ stored: number; more: boolean }> {
    const { journal, repository, spool, log } = this.#o;
    const from = this.#cursor ??= await repository.cursor(journal);
    const read = await readJournal(spool.journalDir, from, { maxRecords: this.#o.batch });
    if (read.cursorLost) {
      // The spool was replaced (restored, or wiped and restarted): start at its oldest segment.
      const oldest = { segment: (await listSegments(spool.journalDir))[0].number, offset: 0 };
      log.warn("canary journal cursor points at a missing segment; restarting at the oldest", {
        cursor: `${from.segment}:${from.offset}`,
      });
      await repository.ingest(journal, from, oldest, []);
      this.#cursor = oldest;
      return { stored: 0, more: true };
    }
    this.#stats.skipped += read.skipped;
    const triggers: TriggerInput[] = [];
    for (const record of read.records) {
      const trigger = decodeTriggerRecord(record.text);
      if (trigger) triggers.push(trigger);
      else this.#stats.skipped++;
    }
    const moved = read.to.segment !== from.segment || read.to.offset !== from.offset;
    let stored = 0;
    if (moved) {
      let recorded: RecordedTriggers;
      try {
        recorded = await repository.ingest(journal, from, read.to, triggers);
      } catch (e) {
        if (!(e instanceof JournalCursorMovedError)) throw e;
        log.warn("canary journal cursor moved under us; re-reading it", { error: e.message });
        this.#cursor = null;
        return { stored: 0, more: true };
      }
      this.#cursor = read.to;
      this.#stats.cursor = `${read.to.segment}:${read.to.offset}`;
      stored = this.#publish(recorded);
      this.#stats.ingested += stored;
      this.#stats.skipped += triggers.length - stored;
      if (stored > 0) log.info("canary triggers stored", { count: stored });
    }
    for (const path of read.done) {
      await Deno.remove(path).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
    }
    return { stored, more: read.records.length >= this.#o.batch };
  }
}
