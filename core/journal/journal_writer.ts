import { join } from "node:path";
import type { Logger } from "../log/mod.ts";
import { PrezeroedFile } from "./prezeroed_file.ts";
import { listSegments, segmentName } from "./segment_names.ts";

/** Options for {@linkcode JournalWriter.open}. */
export interface JournalWriterOptions {
  /** Most bytes the journal's segments may hold on disk together; beyond, records are lost (counted). */
  maxBytes: number;
  /** A segment is closed and a new one started past this size. @default min(8 MiB, maxBytes / 4) */
  segmentBytes?: number;
  log?: Logger;
  /** Called after records were dropped because the journal is full. */
  onLoss?: (lostSoFar: number) => void;
  /**
   * Write and sync each commit on Deno's blocking pool so the calling
   * thread runs on meanwhile (the sniffer, whose capture must not stop for
   * the disk). Otherwise a commit is one synchronous `O_DSYNC` write on the
   * calling thread: no thread hops, and what arrives during it joins the
   * next commit (the canary listeners, whose every answer waits for one).
   * @default false
   */
  offThread?: boolean;
}

/** What the journal has done so far (for heartbeats and health). */
export interface JournalWriterStats {
  /** Records written and synced. */
  committed: number;
  /** Records dropped because the journal was full. */
  lost: number;
  /** fdatasync calls (one per commit tick that had records). */
  commits: number;
  /** Bytes of records the segments hold (as last seen; the zeros written ahead are not counted). */
  bytes: number;
  /** Whether the last append found the journal full. */
  full: boolean;
}

interface Tick {
  chunks: Uint8Array[];
  size: number;
  records: number;
  done: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

const encoder = new TextEncoder();
/** Re-list the directory (sizes change as the ingest removes segments) at most this often when full. */
const RESCAN_MS = 250;
/**
 * Zeros written ahead of the data when the active segment is extended (at most a segment, and
 * within the bound): the commits in between overwrite allocated blocks, whose sync costs less
 * than an append's. The pace file is extended by as much and emptied once full.
 */
const EXTEND_BYTES = 1024 ** 2;
/** Bytes an empty tick appends to the pace file before the journal's first commit. */
const TYPICAL_RECORD_BYTES = 512;
/** Loss is logged at most this often. */
const LOSS_LOG_MS = 10_000;

/**
 * An append-only journal of JSON lines in numbered segment files, written
 * with group commit: every record appended while one synced write runs
 * goes into the next, so concurrent writers share one sync. `append`
 * resolves only once its records are on disk. The active segment is zeroed
 * ahead of its data (see {@linkcode PrezeroedFile}): its data ends at its
 * first 0x00 byte, and the zeros are cut when it is closed (a crash leaves
 * them). Each open starts a fresh segment (a torn tail from a crash is
 * never appended to); only the newest segment is ever written, so any
 * older one is closed and may be removed once read.
 *
 * @example
 * ```ts
 * import { JournalWriter } from "./journal_writer.ts";
 * declare function respond(): void;
 * const dir = "/var/lib/decnet/spool/canary/journal";
 * await using journal = await JournalWriter.open(dir, { maxBytes: 256 * 1024 ** 2 });
 * if (await journal.append(['{"a":1}'])) respond();
 * ```
 */
export class JournalWriter implements AsyncDisposable {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  readonly #options: JournalWriterOptions;
  readonly #extendBytes: number;
  #file: PrezeroedFile;
  #segment: number;
  /** Bytes of records in the segments and in the tick being written (zeros ahead not counted). */
  #diskBytes: number;
  #lastScan = 0;
  #next: Tick | null = null;
  #running: Promise<void> | null = null;
  /** Beside the segments: empty ticks write to it, as a commit would. */
  readonly #pace: PrezeroedFile;
  /** Zeros the pace file is written with (grown as commits grow, never shrunk). */
  #paceBytes = new Uint8Array(TYPICAL_RECORD_BYTES);
  /** Bytes of the last commit, which an empty tick imitates. */
  #lastCommitBytes = TYPICAL_RECORD_BYTES;
  #stats = { committed: 0, lost: 0, commits: 0 };
  #full = false;
  #lastLossLog = -Infinity;
  #closed = false;

  private constructor(
    dir: string,
    options: JournalWriterOptions,
    state: { file: PrezeroedFile; pace: PrezeroedFile; segment: number; diskBytes: number },
  ) {
    this.#dir = dir;
    this.#options = options;
    this.#maxBytes = options.maxBytes;
    this.#segmentBytes = options.segmentBytes ??
      Math.max(4096, Math.min(8 * 1024 ** 2, Math.floor(options.maxBytes / 4)));
    this.#extendBytes = Math.min(EXTEND_BYTES, this.#segmentBytes);
    this.#file = state.file;
    this.#segment = state.segment;
    this.#diskBytes = state.diskBytes;
    this.#pace = state.pace;
  }

  /**
   * Opens the journal in `dir` (created mode 0700), starting a new segment
   * after the newest one there.
   *
   * @throws {RangeError} when `maxBytes` is not positive
   */
  static async open(dir: string, options: JournalWriterOptions): Promise<JournalWriter> {
    if (!(options.maxBytes > 0)) {
      throw new RangeError(`Cannot open journal: expected maxBytes > 0, got ${options.maxBytes}`);
    }
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    const segments = await listSegments(dir);
    const segment = (segments.at(-1)?.number ?? 0) + 1;
    const file = await createSegment(dir, segment, options);
    const pace = await PrezeroedFile.open(join(dir, ".pace"), {
      createNew: false,
      offThread: options.offThread,
    });
    const diskBytes = segments.reduce((sum, s) => sum + s.size, 0);
    return new JournalWriter(dir, options, { file, pace, segment, diskBytes });
  }

  /**
   * Appends one record per line (no newline inside a line) and resolves
   * true once they are synced to disk, or false when the journal is full
   * (they are counted as lost and nothing is written).
   *
   * @throws {Error} when writing or syncing fails (the records are not durable)
   */
  async append(lines: string[]): Promise<boolean> {
    if (this.#closed) throw new Error("Cannot append to the journal: it is closed");
    const bytes = encoder.encode(lines.map((l) => `${l}\n`).join(""));
    if (!(await this.#fits(bytes.length))) {
      this.#lose(lines.length);
      await this.#join().done;
      return false;
    }
    this.#full = false;
    this.#diskBytes += bytes.length;
    const tick = this.#join();
    tick.chunks.push(bytes);
    tick.size += bytes.length;
    tick.records += lines.length;
    await tick.done;
    return true;
  }

  /**
   * Resolves with the next commit tick, adding nothing to the journal: a
   * caller with nothing to record (an unknown slug) answers after the same
   * wait as one that records. A tick with nothing to record writes as
   * many bytes as the last commit to a pace file beside the segments, in
   * place over zeros and extended as often as a segment, so it costs what
   * a commit costs.
   */
  async settle(): Promise<void> {
    if (this.#closed) return;
    await this.#join().done;
  }

  stats(): JournalWriterStats {
    return { ...this.#stats, bytes: this.#diskBytes, full: this.#full };
  }

  /** Waits for the commit in flight and closes the segment, cutting its zeros. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#running) await this.#running;
    try {
      await this.#file.trim();
    } finally {
      this.#file.close();
      this.#pace.close();
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #fits(size: number): Promise<boolean> {
    if (this.#diskBytes + size <= this.#maxBytes) return true;
    const now = performance.now();
    if (now - this.#lastScan >= RESCAN_MS) {
      this.#lastScan = now;
      // The ingest removes segments it has stored: count what is really left.
      const onDisk = (await listSegments(this.#dir)).reduce((sum, s) => sum + s.size, 0);
      const zeros = this.#file.size - this.#file.position;
      const unsynced = this.#next?.size ?? 0;
      this.#diskBytes = onDisk - zeros + unsynced;
    }
    return this.#diskBytes + size <= this.#maxBytes;
  }

  #lose(records: number): void {
    this.#stats.lost += records;
    this.#full = true;
    const now = performance.now();
    if (now - this.#lastLossLog >= LOSS_LOG_MS) {
      this.#lastLossLog = now;
      this.#options.log?.error("canary journal full: triggers lost", {
        lost: this.#stats.lost,
        max_bytes: this.#maxBytes,
      });
    }
    this.#options.onLoss?.(this.#stats.lost);
  }

  /** The tick that will commit next (started when none is running). */
  #join(): Tick {
    if (this.#next) return this.#next;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A waiter may never be awaited (closed listener); unhandled rejections must not crash the worker.
    done.catch(() => {});
    this.#next = {
      chunks: [],
      size: 0,
      records: 0,
      done,
      resolve,
      reject,
    };
    this.#running ??= this.#run();
    return this.#next;
  }

  async #run(): Promise<void> {
    // Let the requests already received in this turn join the first tick.
    await Promise.resolve();
    for (;;) {
      const tick = this.#next;
      if (!tick) {
        // Cleared in the same turn the loop ends, so the next #join starts a new run.
        this.#running = null;
        return;
      }
      this.#next = null;
      try {
        if (tick.size > 0) {
          await this.#commit(tick);
        } else {
          // Nothing to record: write as much to the pace file, so an unknown slug's answer
          // takes what a known one's takes (the journal itself does not grow).
          await this.#imitateCommit();
        }
        tick.resolve();
      } catch (e) {
        this.#diskBytes -= tick.size;
        this.#stats.lost += tick.records;
        tick.reject(e);
        this.#options.log?.error("cannot write the canary journal", { error: String(e) });
        // A partial write may have left a torn line: continue in a fresh segment.
        await this.#rotate().catch(() => {});
      }
    }
  }

  async #commit(tick: Tick): Promise<void> {
    if (this.#file.position > 0 && this.#file.position + tick.size > this.#segmentBytes) {
      await this.#rotate();
    }
    const bytes = tick.chunks.length === 1 ? tick.chunks[0] : concat(tick.chunks, tick.size);
    const end = this.#file.position + bytes.length;
    // Zeros ahead stay within the segment's size and the bound (#diskBytes already counts these
    // bytes and the next tick's), so the files never hold more than maxBytes.
    const ahead = Math.min(
      this.#extendBytes,
      this.#segmentBytes - end,
      this.#maxBytes - this.#diskBytes,
    );
    await this.#file.write(bytes, end + Math.max(0, ahead));
    this.#stats.committed += tick.records;
    this.#stats.commits++;
    this.#lastCommitBytes = bytes.length;
  }

  async #imitateCommit(): Promise<void> {
    // Emptied once its zeros are used up, then extended again: as often as a segment is.
    if (this.#pace.position + this.#lastCommitBytes > this.#extendBytes) await this.#pace.restart();
    if (this.#paceBytes.length < this.#lastCommitBytes) {
      this.#paceBytes = new Uint8Array(this.#lastCommitBytes);
    }
    await this.#pace.write(this.#paceBytes.subarray(0, this.#lastCommitBytes), this.#extendBytes);
  }

  async #rotate(): Promise<void> {
    try {
      // Also cuts what a failed write may have left after the last commit.
      await this.#file.trim();
    } catch {
      // Readers stop at the first zero byte and skip a torn line: the segment reads the same.
    }
    const next = await createSegment(this.#dir, this.#segment + 1, this.#options);
    this.#file.close();
    this.#file = next;
    this.#segment++;
  }
}

/** Creates segment `n` (mode 0600) and syncs the directory so its name survives a crash. */
async function createSegment(
  dir: string,
  n: number,
  options: JournalWriterOptions,
): Promise<PrezeroedFile> {
  const file = await PrezeroedFile.open(join(dir, segmentName(n)), {
    createNew: true,
    offThread: options.offThread,
  });
  try {
    using handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Some filesystems refuse to sync a directory; the file itself is still synced per commit.
  }
  return file;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
