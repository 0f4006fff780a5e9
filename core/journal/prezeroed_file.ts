import * as fs from "node:fs";

/** Options for {@linkcode PrezeroedFile.open}. */
export interface PrezeroedFileOptions {
  /** Fail when the file exists (a journal segment); otherwise it is emptied (the pace file). */
  createNew: boolean;
  /**
   * Write and sync on Deno's blocking pool (two trips) so that this thread
   * runs on meanwhile. Otherwise each write is one synchronous `O_DSYNC`
   * write on this thread, which waits for the disk: no thread hops, for a
   * thread whose work waits for the write anyway.
   * @default false
   */
  offThread?: boolean;
}

const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC, O_DSYNC } = fs.constants;

/** How the bytes reach the disk: positional writes that return once they are synced. */
interface SyncedWrites {
  writeAt(bytes: Uint8Array, at: number): Promise<void>;
  /** Writes zeros from `from` to `to` and syncs them, on the blocking pool. */
  zeroFill(from: number, to: number): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): void;
}

/**
 * A file written durably at a moving position over zeros written ahead of
 * it: when a write would pass the end of the file, the file is first
 * extended by zeros up to `extendTo` (on the blocking pool, so a thread
 * that writes on itself never waits for that long write), so that writes
 * only overwrite blocks that are already allocated and on disk. Their sync then
 * flushes data alone, without the metadata commit (block allocation, size)
 * an append needs on ext4 (see tests/bench/RESULTS.md, "Journal commit
 * tick"). Readers tell data from the zero tail by the first 0x00 byte (a
 * JSON line never holds one).
 *
 * @example
 * ```ts
 * import { PrezeroedFile } from "./prezeroed_file.ts";
 * const file = await PrezeroedFile.open("/tmp/0000000000000001.jsonl", { createNew: true });
 * await file.write(new TextEncoder().encode('{"a":1}\n'), 1024 ** 2); // on disk, 1 MiB zeroed
 * await file.trim(); // 8 bytes on disk
 * file.close();
 * ```
 */
export class PrezeroedFile {
  readonly #writes: SyncedWrites;
  #position = 0;
  #size = 0;

  private constructor(writes: SyncedWrites) {
    this.#writes = writes;
  }

  /**
   * Opens `path` (mode 0600) for durable writes from its start.
   *
   * @throws {Error} when `createNew` and the file exists
   */
  static async open(path: string, options: PrezeroedFileOptions): Promise<PrezeroedFile> {
    if (!options.offThread) return new PrezeroedFile(await threadWrites(path, options));
    const file = await Deno.open(path, {
      write: true,
      mode: 0o600,
      ...(options.createNew ? { createNew: true } : { create: true, truncate: true }),
    });
    return new PrezeroedFile(poolWrites(file));
  }

  /** Bytes written (where the next write goes). */
  get position(): number {
    return this.#position;
  }

  /** Bytes the file holds on disk: the data and the zeros ahead of it. */
  get size(): number {
    return this.#size;
  }

  /**
   * Writes `bytes` at the position and resolves once they are on disk.
   * When they pass the end of the file, the file is first zeroed up to
   * `extendTo` (if it lies further; otherwise they are appended).
   *
   * @throws {Error} when writing fails: the bytes may be partly written
   */
  async write(bytes: Uint8Array, extendTo = 0): Promise<void> {
    const end = this.#position + bytes.length;
    if (end > this.#size && extendTo > end) {
      await this.#writes.zeroFill(this.#size, extendTo);
      this.#size = extendTo;
    }
    await this.#writes.writeAt(bytes, this.#position);
    this.#position = end;
    this.#size = Math.max(this.#size, end);
  }

  /** Cuts the zeros after the data (not synced: a crash leaves them, which readers allow). */
  async trim(): Promise<void> {
    if (this.#size === this.#position) return;
    await this.#writes.truncate(this.#position);
    this.#size = this.#position;
  }

  /** Empties the file and writes from its start again. */
  async restart(): Promise<void> {
    await this.#writes.truncate(0);
    this.#position = 0;
    this.#size = 0;
  }

  close(): void {
    this.#writes.close();
  }
}

/** `O_DSYNC` writes on this thread: one system call, data (and size) on disk when it returns. */
async function threadWrites(path: string, options: PrezeroedFileOptions): Promise<SyncedWrites> {
  const fd = fs.openSync(
    path,
    O_WRONLY | O_CREAT | O_DSYNC | (options.createNew ? O_EXCL : O_TRUNC),
    0o600,
  );
  let pool: SyncedWrites;
  try {
    // Zeros go through a second handle, from the blocking pool.
    pool = poolWrites(await Deno.open(path, { write: true }));
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  return {
    writeAt(bytes, at) {
      let written = 0;
      while (written < bytes.length) {
        written += fs.writeSync(fd, bytes, written, bytes.length - written, at + written);
      }
      return Promise.resolve();
    },
    zeroFill: pool.zeroFill,
    truncate(length) {
      fs.ftruncateSync(fd, length);
      return Promise.resolve();
    },
    close() {
      fs.closeSync(fd);
      pool.close();
    },
  };
}

/** A write then an fdatasync, each on Deno's blocking pool. */
function poolWrites(file: Deno.FsFile): SyncedWrites {
  const writeAt = async (bytes: Uint8Array, at: number) => {
    // Only this file's one writer moves the offset, one write at a time.
    file.seekSync(at, Deno.SeekMode.Start);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.syncData();
  };
  return {
    writeAt,
    zeroFill: (from, to) => writeAt(new Uint8Array(to - from), from),
    truncate: (length) => file.truncate(length),
    close: () => file.close(),
  };
}
