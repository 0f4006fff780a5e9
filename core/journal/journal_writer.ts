import { join } from "node:path";
import type { Logger } from "../log/mod.ts";
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
}

/** What the journal has done so far (for heartbeats and health). */
export interface JournalWriterStats {
  /** Records written and synced. */
  committed: number;
  /** Records dropped because the journal was full. */
  lost: number;
  /** fdatasync calls (one per commit tick that had records). */
  commits: number;
  /** Bytes the segments hold on disk (as last seen). */
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
/** The pace file is emptied past this size (it only imitates appends, nothing reads it). */
const PACE_MAX_BYTES = 64 * 1024;
/** Bytes an empty tick appends to the pace file before the journal's first commit. */
const TYPICAL_RECORD_BYTES = 512;
/** Loss is logged at most this often. */
const LOSS_LOG_MS = 10_000;

/**
 * An append-only journal of JSON lines in numbered segment files, written
 * with group commit: every record appended while one fdatasync runs goes
 * into the next, so concurrent writers share one sync. `append` resolves
 * only once its records are on disk. Each open starts a fresh segment (a
 * torn tail from a crash is never appended to); only the newest segment is
 * ever written, so any older one is closed and may be removed once read.
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
  #file: Deno.FsFile;
  #segment: number;
  #segmentSize = 0;
  #diskBytes: number;
  #lastScan = 0;
  #next: Tick | null = null;
  #running: Promise<void> | null = null;
  /** Beside the segments: empty ticks append to it and sync, as a commit would. */
  readonly #pace: Deno.FsFile;
  #paceSize = 0;
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
    state: { file: Deno.FsFile; pace: Deno.FsFile; segment: number; diskBytes: number },
  ) {
    this.#dir = dir;
    this.#options = options;
    this.#maxBytes = options.maxBytes;
    this.#segmentBytes = options.segmentBytes ??
      Math.max(4096, Math.min(8 * 1024 ** 2, Math.floor(options.maxBytes / 4)));
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
    const file = await createSegment(dir, segment);
    const pace = await Deno.open(join(dir, ".pace"), {
      create: true,
      truncate: true,
      write: true,
      mode: 0o600,
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
   * wait as one that records. A tick with nothing to record appends as
   * many bytes as the last commit to a pace file beside the segments and
   * syncs it, so it costs what a commit costs.
   */
  async settle(): Promise<void> {
    if (this.#closed) return;
    await this.#join().done;
  }

  stats(): JournalWriterStats {
    return { ...this.#stats, bytes: this.#diskBytes, full: this.#full };
  }

  /** Waits for the commit in flight and closes the segment. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#running) await this.#running;
    this.#file.close();
    this.#pace.close();
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
      const unsynced = this.#next?.size ?? 0;
      this.#diskBytes = onDisk + unsynced;
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
          // Nothing to record: append as much to the pace file and sync it, so an unknown
          // slug's answer takes what a known one's takes (the journal itself does not grow).
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
    if (this.#segmentSize > 0 && this.#segmentSize + tick.size > this.#segmentBytes) {
      await this.#rotate();
    }
    const bytes = tick.chunks.length === 1 ? tick.chunks[0] : concat(tick.chunks, tick.size);
    let written = 0;
    while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
    await this.#file.syncData();
    this.#segmentSize += bytes.length;
    this.#stats.committed += tick.records;
    this.#stats.commits++;
    this.#lastCommitBytes = bytes.length;
  }

  async #imitateCommit(): Promise<void> {
    if (this.#paceSize + this.#lastCommitBytes > PACE_MAX_BYTES) {
      await this.#pace.truncate(0);
      // ftruncate keeps the offset: without the seek the file would grow by holes forever.
      await this.#pace.seek(0, Deno.SeekMode.Start);
      this.#paceSize = 0;
    }
    if (this.#paceBytes.length < this.#lastCommitBytes) {
      this.#paceBytes = new Uint8Array(this.#lastCommitBytes);
    }
    const bytes = this.#paceBytes.subarray(0, this.#lastCommitBytes);
    let written = 0;
    while (written < bytes.length) written += await this.#pace.write(bytes.subarray(written));
    await this.#pace.syncData();
    this.#paceSize += bytes.length;
  }

  async #rotate(): Promise<void> {
    this.#file.close();
    this.#segment++;
    this.#segmentSize = 0;
    this.#file = await createSegment(this.#dir, this.#segment);
  }
}

/** Creates segment `n` (mode 0600) and syncs the directory so its name survives a crash. */
async function createSegment(dir: string, n: number): Promise<Deno.FsFile> {
  const file = await Deno.open(join(dir, segmentName(n)), {
    createNew: true,
    append: true,
    mode: 0o600,
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
