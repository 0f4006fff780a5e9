import * as fs from "node:fs";

/** Options for {@linkcode PrezeroedFile.open}. */
export interface PrezeroedFileOptions {
  /** Fail when the file exists (a journal segment); otherwise it is emptied (the pace file). */
  createNew: boolean;
}

// O_DSYNC: each write returns once its data (and the size, when it grew) is on disk, in one trip
// to the blocking pool instead of a write and an fdatasync.
const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC, O_DSYNC } = fs.constants;

/**
 * A file written durably at a moving position over zeros written ahead of
 * it: when a write would pass the end of the file, the file is extended in
 * the same write by zeros up to `extendTo`, so that the next writes only
 * overwrite blocks that are already allocated and on disk. Their sync then
 * flushes data alone, without the metadata commit (block allocation, size)
 * an append needs on ext4: 0.48 against 0.77 ms p50 on the bench machine.
 * Readers tell data from the zero tail by the first 0x00 byte (a JSON line
 * never holds one).
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
  readonly #fd: number;
  #position = 0;
  #size = 0;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * Opens `path` (mode 0600) for durable writes from its start.
   *
   * @throws {Error} with code `EEXIST` when `createNew` and the file exists
   */
  static async open(path: string, options: PrezeroedFileOptions): Promise<PrezeroedFile> {
    const flags = O_WRONLY | O_CREAT | O_DSYNC | (options.createNew ? O_EXCL : O_TRUNC);
    const fd = await new Promise<number>((resolve, reject) =>
      fs.open(path, flags, 0o600, (e, fd) => e ? reject(e) : resolve(fd))
    );
    return new PrezeroedFile(fd);
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
   * When they pass the end of the file, zeros follow them up to `extendTo`
   * (if it lies further) in the same write.
   *
   * @throws {Error} when writing fails: the bytes may be partly written
   */
  async write(bytes: Uint8Array, extendTo = 0): Promise<void> {
    const start = this.#position;
    const end = start + bytes.length;
    let out = bytes;
    if (end > this.#size && extendTo > end) {
      out = new Uint8Array(extendTo - start);
      out.set(bytes);
    }
    let written = 0;
    while (written < out.length) {
      written += await writeAt(this.#fd, out.subarray(written), start + written);
    }
    this.#position = end;
    this.#size = Math.max(this.#size, start + out.length);
  }

  /** Cuts the zeros after the data (not synced: a crash leaves them, which readers allow). */
  async trim(): Promise<void> {
    if (this.#size === this.#position) return;
    await truncate(this.#fd, this.#position);
    this.#size = this.#position;
  }

  /** Empties the file and writes from its start again. */
  async restart(): Promise<void> {
    await truncate(this.#fd, 0);
    this.#position = 0;
    this.#size = 0;
  }

  close(): void {
    fs.closeSync(this.#fd);
  }
}

function writeAt(fd: number, bytes: Uint8Array, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, bytes, 0, bytes.length, position, (e, n) => e ? reject(e) : resolve(n))
  );
}

function truncate(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.ftruncate(fd, length, (e) => e ? reject(e) : resolve())
  );
}
