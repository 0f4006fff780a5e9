import type { JournalPosition } from "../db/mod.ts";
import { JournalCursorMovedError } from "../db/repositories/canary_journal_repository.ts";
import type { Logger } from "../log/mod.ts";
import { type JournalRecord, readJournal } from "./read_journal.ts";
import { listSegments } from "./segment_names.ts";

/** Options for {@linkcode JournalFollower}. */
export interface JournalFollowerOptions {
  /** Names the journal in log lines: e.g. `canary journal`. */
  what: string;
  /** The journal's segment folder. */
  dir: string;
  /** Where the stored cursor stands (read again after any failure). */
  cursor(): Promise<JournalPosition>;
  /**
   * Stores the records read between `from` and `to` and moves the stored
   * cursor from `from` to `to` (`records` is empty when only the cursor
   * moves); returns how many were stored. A JournalCursorMovedError makes
   * the follower read the cursor again; any other error is retried, nothing
   * lost.
   */
  store(
    from: JournalPosition,
    to: JournalPosition,
    records: readonly JournalRecord[],
  ): Promise<number>;
  /** Rewrites what the journal's writer reads back (a snapshot): every `refreshEveryMs` and after {@linkcode JournalFollower.refreshSoon}. */
  refresh(): Promise<void>;
  log: Logger;
  /** Pause between polls of an idle journal. */
  pollMs: number;
  refreshEveryMs: number;
  /** Records read per step. */
  batch: number;
}

/** Where a {@linkcode JournalFollower} stands. */
export interface JournalFollowerState {
  /** Lines that were not records (torn by a crash, or not UTF-8). */
  torn: number;
  /** `<segment>:<byte offset>` of the last cursor stored. */
  cursor: string | null;
  /** Why the last pass failed; null once one succeeds. */
  lastError: string | null;
}

/**
 * Follows a journal another process appends to: in order, batch after
 * batch, hands the records to `store` (which moves the stored cursor with
 * them), removes segments fully stored, restarts at the oldest segment when
 * the journal was replaced, and keeps the writer's snapshot fresh. While
 * storing fails it retries every second (logging at most every 10 s); the
 * journal waits on disk.
 *
 * @example
 * ```ts
 * import type { Logger } from "../log/mod.ts";
 * import { JournalFollower } from "./journal_follower.ts";
 * declare const log: Logger;
 * await using follower = new JournalFollower({
 *   what: "example journal", dir: "/var/lib/decnet/spool/x/journal", log,
 *   cursor: () => Promise.resolve({ segment: 0, offset: 0 }),
 *   store: (_from, _to, records) => Promise.resolve(records.length),
 *   refresh: () => Promise.resolve(),
 *   pollMs: 200, refreshEveryMs: 1000, batch: 200,
 * });
 * follower.start();
 * ```
 */
export class JournalFollower implements AsyncDisposable {
  readonly #o: JournalFollowerOptions;
  #cursor: JournalPosition | null = null;
  #refreshDue = 0;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #closed = false;
  #lastErrorLog = -Infinity;
  readonly #state: JournalFollowerState = { torn: 0, cursor: null, lastError: null };

  constructor(options: JournalFollowerOptions) {
    this.#o = options;
  }

  /** Starts following in the background. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Refreshes the snapshot and reads the journal now, not at the next poll. */
  refreshSoon(): void {
    this.#refreshDue = 0;
    this.#wake?.();
  }

  state(): JournalFollowerState {
    return { ...this.#state };
  }

  /**
   * Stores what the journal holds now; returns the number stored.
   *
   * @throws {Error} when storing fails (nothing is lost: the cursor did not move past it)
   */
  async drain(): Promise<number> {
    let stored = 0;
    for (;;) {
      const step = await this.#step();
      stored += step.stored;
      if (!step.more) return stored;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#loop;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      try {
        if (Date.now() >= this.#refreshDue) {
          await this.#o.refresh();
          this.#refreshDue = Date.now() + this.#o.refreshEveryMs;
        }
        await this.drain();
        if (this.#state.lastError) this.#o.log.info(`${this.#o.what} stored again`);
        this.#state.lastError = null;
      } catch (e) {
        this.#cursor = null;
        this.#state.lastError = e instanceof Error ? e.message : String(e);
        if (performance.now() - this.#lastErrorLog >= 10_000) {
          this.#lastErrorLog = performance.now();
          this.#o.log.warn(`cannot ingest the ${this.#o.what}; retrying`, {
            error: this.#state.lastError,
          });
        }
      }
      if (this.#closed) break;
      const pause = this.#state.lastError ? 1000 : this.#o.pollMs;
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

  /** One batch: read, store with the cursor, remove stored segments. */
  async #step(): Promise<{ stored: number; more: boolean }> {
    const { dir, log, batch } = this.#o;
    const from = this.#cursor ??= await this.#o.cursor();
    const read = await readJournal(dir, from, { maxRecords: batch });
    if (read.cursorLost) {
      log.warn(`${this.#o.what} cursor points at a missing segment; restarting at the oldest`, {
        cursor: `${from.segment}:${from.offset}`,
      });
    }
    // A lost cursor reads nothing: the spool was replaced (restored, or wiped and restarted), so
    // the cursor moves to its oldest segment.
    const to = read.cursorLost
      ? { segment: (await listSegments(dir))[0].number, offset: 0 }
      : read.to;
    this.#state.torn += read.skipped;
    let stored = 0;
    if (to.segment !== from.segment || to.offset !== from.offset) {
      try {
        stored = await this.#o.store(from, to, read.records);
      } catch (e) {
        if (!(e instanceof JournalCursorMovedError)) throw e;
        log.warn(`${this.#o.what} cursor moved under us; re-reading it`, { error: e.message });
        this.#cursor = null;
        return { stored: 0, more: true };
      }
      this.#cursor = to;
      this.#state.cursor = `${to.segment}:${to.offset}`;
    }
    for (const path of read.done) {
      await Deno.remove(path).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
    }
    return { stored, more: read.cursorLost || read.records.length >= batch };
  }
}
