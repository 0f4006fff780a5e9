import type { Bus, Subscription } from "../bus/mod.ts";
import { TOPIC_PATTERNS } from "../bus/mod.ts";
import type { JournalPosition } from "../db/mod.ts";
import { listSegments, readJournal } from "../journal/mod.ts";
import type { Logger } from "../log/mod.ts";
import { parseTcpFingerprint } from "../sniffer/parse_tcp_fingerprint.ts";
import type { SnifferSpoolPaths } from "../sniffer/sniffer_spool_paths.ts";
import { type SnifferTarget, writeSnifferTargets } from "../sniffer/sniffer_targets.ts";
import type { TcpFingerprint } from "../sniffer/tcp_fingerprint.ts";

/** Where each journal's ingest stands (the canary journals' cursor table serves every journal). */
export interface JournalCursors {
  cursor(journal: string): Promise<JournalPosition>;
  /** Moves the cursor from `from` to `to`; throws when it is not at `from`. */
  advance(journal: string, from: JournalPosition, to: JournalPosition): Promise<void>;
}

/** Options for {@linkcode SnifferJournalIngest}. */
export interface SnifferJournalIngestOptions {
  /** Cursor name, one per journal (per host): e.g. `sniffer@local`. */
  journal: string;
  spool: SnifferSpoolPaths;
  cursors: JournalCursors;
  /** Stores one event on its attacker record (and publishes it). */
  store(event: TcpFingerprint): Promise<void>;
  /** This host's deckies the sniffer should watch. */
  listTargets(): Promise<SnifferTarget[]>;
  bus: Bus;
  log: Logger;
  /** Pause between polls of an idle journal. @default 200 */
  pollMs?: number;
  /** The targets snapshot is rewritten at least this often. @default 1000 */
  targetsEveryMs?: number;
  /** Records read per step. @default 200 */
  batch?: number;
}

/** What the ingest has done (heartbeat extras). */
export interface SnifferJournalIngestStats {
  fingerprints_stored: number;
  fingerprint_lines_skipped: number;
  sniffer_targets: number | null;
  sniffer_last_error: string | null;
}

/**
 * The collector's side of the sniffer: keeps the sniffer's targets snapshot
 * (this host's running deckies) fresh - every second and at once on a
 * `decky.*.state` message - and ingests the sniffer's fingerprint journal
 * in order, storing each event on its attacker record, then moving the
 * cursor (acknowledged only once stored; a crash in between stores an
 * event again, which leaves the attacker's snapshot as it was), and
 * removing segments fully stored. While the database is down it retries;
 * the journal waits on disk.
 *
 * @example
 * ```ts
 * import type { SnifferJournalIngestOptions } from "./sniffer_journal_ingest.ts";
 * import { SnifferJournalIngest } from "./sniffer_journal_ingest.ts";
 * declare const options: SnifferJournalIngestOptions;
 * await using ingest = new SnifferJournalIngest(options);
 * ingest.start();
 * ```
 */
export class SnifferJournalIngest implements AsyncDisposable {
  readonly #o: SnifferJournalIngestOptions;
  #cursor: JournalPosition | null = null;
  #hint: Subscription | null = null;
  #targetsDue = 0;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #closed = false;
  #lastErrorLog = -Infinity;
  readonly #stats: SnifferJournalIngestStats = {
    fingerprints_stored: 0,
    fingerprint_lines_skipped: 0,
    sniffer_targets: null,
    sniffer_last_error: null,
  };

  constructor(options: SnifferJournalIngestOptions) {
    this.#o = options;
  }

  /** Starts ingesting and refreshing the targets in the background. */
  start(): void {
    if (this.#loop) return;
    this.#hint = this.#o.bus.subscribe(TOPIC_PATTERNS.deckyState, () => {
      this.#targetsDue = 0;
      this.#wake?.();
    });
    this.#loop = this.#run();
  }

  stats(): SnifferJournalIngestStats {
    return { ...this.#stats };
  }

  /**
   * Stores what the journal holds now; returns the number of events stored.
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

  /** Writes the targets snapshot now; returns whether it changed. */
  async refreshTargets(): Promise<boolean> {
    const targets = await this.#o.listTargets();
    this.#stats.sniffer_targets = targets.length;
    const changed = await writeSnifferTargets(this.#o.spool.targetsFile, targets);
    if (changed) this.#o.log.info("sniffer targets written", { deckies: targets.length });
    return changed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#hint?.unsubscribe();
    this.#wake?.();
    await this.#loop;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      try {
        if (Date.now() >= this.#targetsDue) {
          await this.refreshTargets();
          this.#targetsDue = Date.now() + (this.#o.targetsEveryMs ?? 1000);
        }
        await this.drain();
        this.#stats.sniffer_last_error = null;
      } catch (e) {
        this.#cursor = null;
        this.#stats.sniffer_last_error = e instanceof Error ? e.message : String(e);
        if (performance.now() - this.#lastErrorLog >= 10_000) {
          this.#lastErrorLog = performance.now();
          this.#o.log.warn("cannot ingest the sniffer journal; retrying", {
            error: this.#stats.sniffer_last_error,
          });
        }
      }
      if (this.#closed) break;
      const pause = this.#stats.sniffer_last_error ? 1000 : this.#o.pollMs ?? 200;
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

  async #step(): Promise<{ stored: number; more: boolean }> {
    const { journal, cursors, spool, log } = this.#o;
    const batch = this.#o.batch ?? 200;
    const from = this.#cursor ??= await cursors.cursor(journal);
    const read = await readJournal(spool.journalDir, from, { maxRecords: batch });
    if (read.cursorLost) {
      const oldest = { segment: (await listSegments(spool.journalDir))[0].number, offset: 0 };
      log.warn("sniffer journal cursor points at a missing segment; restarting at the oldest", {
        cursor: `${from.segment}:${from.offset}`,
      });
      await cursors.advance(journal, from, oldest);
      this.#cursor = oldest;
      return { stored: 0, more: true };
    }
    this.#stats.fingerprint_lines_skipped += read.skipped;
    let stored = 0;
    for (const record of read.records) {
      let event: TcpFingerprint;
      try {
        event = parseTcpFingerprint(JSON.parse(record.text));
      } catch (e) {
        // Written by another process: a line of another shape is counted, never stored.
        if (!(e instanceof TypeError || e instanceof SyntaxError)) throw e;
        this.#stats.fingerprint_lines_skipped++;
        continue;
      }
      await this.#o.store(event);
      stored++;
    }
    if (read.to.segment !== from.segment || read.to.offset !== from.offset) {
      await cursors.advance(journal, from, read.to);
      this.#cursor = read.to;
    }
    this.#stats.fingerprints_stored += stored;
    if (stored > 0) log.info("tcp fingerprints stored", { count: stored });
    for (const path of read.done) {
      await Deno.remove(path).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
    }
    return { stored, more: read.records.length >= batch };
  }
}
