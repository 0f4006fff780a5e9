import type { Bus, ControlPayload, HealthPayload, Subscription } from "../bus/mod.ts";
import { controlTopic, healthTopic, TOPIC_PATTERNS } from "../bus/mod.ts";
import type { JournalPosition } from "../db/mod.ts";
import { JournalFollower } from "../journal/journal_follower.ts";
import { segmentDataBytes } from "../journal/segment_data_bytes.ts";
import { listSegments } from "../journal/segment_names.ts";
import type { JournalRecord } from "../journal/mod.ts";
import type { Logger } from "../log/mod.ts";
import { parseTcpFingerprint } from "../sniffer/parse_tcp_fingerprint.ts";
import type { SnifferSpoolPaths } from "../sniffer/sniffer_spool_paths.ts";
import { type SnifferTarget, writeSnifferTargets } from "../sniffer/sniffer_targets.ts";
import { parseSnifferStatus, type SnifferStatus } from "../sniffer/sniffer_status.ts";
import type { TcpFingerprint } from "../sniffer/tcp_fingerprint.ts";
import { parseTcpProbe, type TcpProbe } from "../sniffer/tcp_probe.ts";
import { HEARTBEAT_INTERVAL_MS } from "../workers/heartbeat.ts";
import { snifferHealth } from "./sniffer_health.ts";

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
  /** Stores one event on its attacker record (and publishes it); `end`: where its record ends. */
  store(event: TcpFingerprint, end: JournalPosition): Promise<void>;
  /** Stores one active probe's result on its attacker record (and publishes it). */
  storeProbe(probe: TcpProbe, end: JournalPosition): Promise<void>;
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
  /** How often `system.sniffer.health` is published (while the sniffer has a status file). @default 30000 */
  healthEveryMs?: number;
  now?: () => Date;
}

/** What the ingest has done (heartbeat extras). */
export interface SnifferJournalIngestStats {
  fingerprints_stored: number;
  /** Active probes' results stored (DECNET_PROBER=on). */
  probes_stored: number;
  fingerprint_lines_skipped: number;
  sniffer_targets: number | null;
  sniffer_last_error: string | null;
}

/**
 * The collector's side of the sniffer: keeps the sniffer's targets snapshot
 * (this host's running deckies) fresh - every second and at once on a
 * `decky.*.state` message - and ingests the sniffer's fingerprint journal
 * in order, storing each event (a fingerprint, or an active probe's result)
 * on its attacker record, then moving the
 * cursor (acknowledged only once stored; a crash in between stores an
 * event again, which leaves the attacker's snapshot as it was), and
 * removing segments fully stored. While the database is down it retries;
 * the journal waits on disk. It also publishes `system.sniffer.health` for
 * the sniffer (which holds no bus connection) every 30 s and on a `report`
 * control message: the sniffer's status file plus the journal lag.
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
  readonly #follower: JournalFollower;
  #hint: Subscription | null = null;
  #control: Subscription | null = null;
  #healthTimer: ReturnType<typeof setInterval> | undefined;
  #lastStatus: SnifferStatus | null = null;
  #statusUnreadable = false;
  /**
   * No running sniffer's status was there at the last beat (none, or its last
   * on stopping): each refresh looks again, so a (re)starting sniffer is reported at once.
   */
  #statusAwaited = true;
  readonly #stats = {
    fingerprints_stored: 0,
    probes_stored: 0,
    fingerprint_lines_skipped: 0,
    sniffer_targets: null as number | null,
  };

  constructor(options: SnifferJournalIngestOptions) {
    this.#o = options;
    const { journal, cursors } = options;
    this.#follower = new JournalFollower({
      what: "sniffer journal",
      dir: options.spool.journalDir,
      cursor: () => cursors.cursor(journal),
      store: (from, to, records) => this.#store(from, to, records),
      refresh: () => this.refreshTargets().then(() => {}),
      log: options.log,
      pollMs: options.pollMs ?? 200,
      refreshEveryMs: options.targetsEveryMs ?? 1000,
      batch: options.batch ?? 200,
    });
  }

  /** Starts ingesting and refreshing the targets in the background. */
  start(): void {
    this.#hint ??= this.#o.bus.subscribe(
      TOPIC_PATTERNS.deckyState,
      () => this.#follower.refreshSoon(),
    );
    this.#follower.start();
    this.#control ??= this.#o.bus.subscribe(controlTopic("sniffer"), ({ payload }) => {
      if ((payload as ControlPayload).action === "report") this.#beat();
    });
    this.#healthTimer ??= setInterval(
      () => this.#beat(),
      this.#o.healthEveryMs ?? HEARTBEAT_INTERVAL_MS,
    );
    this.#beat();
  }

  /**
   * Publishes `system.sniffer.health` from the sniffer's status file now;
   * returns what it published, or null when the sniffer never ran here (no
   * status file) or its status cannot be read.
   */
  async publishHealth(): Promise<HealthPayload | null> {
    let status: SnifferStatus;
    try {
      status = parseSnifferStatus(await Deno.readTextFile(this.#o.spool.statusFile));
      this.#statusUnreadable = false;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        this.#statusAwaited = true;
        return null;
      }
      if (!(e instanceof SyntaxError)) throw e;
      if (!this.#statusUnreadable) {
        this.#o.log.warn("cannot read the sniffer status", { error: e.message });
      }
      this.#statusUnreadable = true;
      return null;
    }
    const payload = snifferHealth(status, {
      now: (this.#o.now ?? (() => new Date()))(),
      journalLagBytes: await this.#journalLagBytes(),
      fingerprintsStored: this.#stats.fingerprints_stored,
      previous: this.#lastStatus,
    });
    this.#lastStatus = status;
    this.#statusAwaited = !status.running;
    this.#o.bus.publish(healthTopic("sniffer"), payload);
    return payload;
  }

  stats(): SnifferJournalIngestStats {
    const state = this.#follower.state();
    return {
      ...this.#stats,
      fingerprint_lines_skipped: this.#stats.fingerprint_lines_skipped + state.torn,
      sniffer_last_error: state.lastError,
    };
  }

  /**
   * Stores what the journal holds now; returns the number of events stored.
   *
   * @throws {Error} when storing fails (nothing is lost: the cursor did not move past it)
   */
  drain(): Promise<number> {
    return this.#follower.drain();
  }

  /** Writes the targets snapshot now; returns whether it changed. */
  async refreshTargets(): Promise<boolean> {
    const targets = await this.#o.listTargets();
    this.#stats.sniffer_targets = targets.length;
    const changed = await writeSnifferTargets(this.#o.spool.targetsFile, targets);
    if (changed) this.#o.log.info("sniffer targets written", { deckies: targets.length });
    if (this.#statusAwaited && this.#healthTimer !== undefined && await this.#statusRunning()) {
      this.#beat();
    }
    return changed;
  }

  async close(): Promise<void> {
    this.#hint?.unsubscribe();
    this.#control?.unsubscribe();
    clearInterval(this.#healthTimer);
    await this.#follower.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Whether the status file says the sniffer runs (read only while one is awaited). */
  async #statusRunning(): Promise<boolean> {
    try {
      return parseSnifferStatus(await Deno.readTextFile(this.#o.spool.statusFile)).running;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof SyntaxError) return false;
      throw e;
    }
  }

  #beat(): void {
    this.publishHealth().catch((e) =>
      this.#o.log.error("cannot publish the sniffer's health", { error: String(e) })
    );
  }

  /** Journal bytes after the stored cursor: what the sniffer wrote and the database lacks. */
  async #journalLagBytes(): Promise<number> {
    const cursor = await this.#o.cursors.cursor(this.#o.journal);
    let lag = 0;
    for (const segment of await listSegments(this.#o.spool.journalDir)) {
      if (segment.number < cursor.segment) continue;
      // The segment being written holds zeros ahead of its data: they are no lag.
      const size = await segmentDataBytes(segment.path, segment.size).catch((e) => {
        // Removed by this ingest since the listing: nothing left to store.
        if (e instanceof Deno.errors.NotFound) return 0;
        throw e;
      });
      lag += Math.max(0, size - (segment.number === cursor.segment ? cursor.offset : 0));
    }
    return lag;
  }

  /** Each event on its attacker record, then the cursor: at least once. */
  async #store(
    from: JournalPosition,
    to: JournalPosition,
    records: readonly JournalRecord[],
  ): Promise<number> {
    let stored = 0;
    let probes = 0;
    for (const record of records) {
      let event: { fingerprint: TcpFingerprint } | { probe: TcpProbe };
      try {
        const value = JSON.parse(record.text);
        event = value?.kind === "tcp_probe"
          ? { probe: parseTcpProbe(value) }
          : { fingerprint: parseTcpFingerprint(value) };
      } catch (e) {
        // Written by another process: a line of another shape is counted, never stored.
        if (!(e instanceof TypeError || e instanceof SyntaxError)) throw e;
        this.#stats.fingerprint_lines_skipped++;
        continue;
      }
      if ("probe" in event) {
        await this.#o.storeProbe(event.probe, record.end);
        probes++;
        continue;
      }
      await this.#o.store(event.fingerprint, record.end);
      stored++;
    }
    await this.#o.cursors.advance(this.#o.journal, from, to);
    this.#stats.fingerprints_stored += stored;
    this.#stats.probes_stored += probes;
    if (stored > 0) this.#o.log.info("tcp fingerprints stored", { count: stored });
    if (probes > 0) this.#o.log.info("tcp probes stored", { count: probes });
    return stored + probes;
  }
}
