import { createHash } from "node:crypto";
import { dirname, join } from "node:path";

/** Default upload limit, as DECNET_CANARY_MAX_UPLOAD. */
export const DEFAULT_MAX_UPLOAD = 25 * 1024 * 1024;

const SHA256_REGEXP = /^[0-9a-f]{64}$/;

/** An upload is larger than the configured limit (the API answers 413). */
export class UploadTooLargeError extends RangeError {
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(`Cannot store upload: expected at most ${limit} bytes, got ${size}`);
    this.name = "UploadTooLargeError";
    this.size = size;
    this.limit = limit;
  }
}

/** A blob as stored. */
export interface StoredBlob {
  sha256: string;
  size: number;
  path: string;
  /** False when an identical blob was already there. */
  created: boolean;
}

/** Options of {@linkcode BlobStore}. */
export interface BlobStoreOptions {
  /** Largest blob accepted, in bytes. @default 25 MiB */
  maxBytes?: number;
}

/**
 * Content-addressed file store for operator uploads: `<root>/ab/cd/<sha256>`.
 * Writes go to a temporary file renamed into place, so a blob is either
 * whole or absent; storing the same bytes twice is a no-op. The database
 * row is the source of truth for references: {@linkcode BlobStore.release}
 * deletes only when the caller says no row refers to the blob any more.
 *
 * @example
 * ```ts
 * import type { Config } from "../core/config/config.ts";
 * declare const bytes: Uint8Array;
 * declare const config: Config;
 * const store = new BlobStore(config.canaryBlobDir, { maxBytes: config.canaryMaxUpload });
 * const { sha256 } = await store.put(bytes);
 * ```
 */
export class BlobStore {
  readonly #root: string;
  readonly #maxBytes: number;

  constructor(root: string, options: BlobStoreOptions = {}) {
    this.#root = root;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD;
  }

  /** Hex SHA-256 of some bytes. */
  static digest(bytes: Uint8Array): string {
    return createHash("sha256").update(bytes).digest("hex");
  }

  /**
   * Where a blob lives.
   *
   * @throws {TypeError} when `sha256` is not 64 lower-case hex digits
   */
  pathFor(sha256: string): string {
    if (!SHA256_REGEXP.test(sha256)) {
      throw new TypeError(`Cannot locate blob: expected 64 hex digits, got "${sha256}"`);
    }
    return join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Stores bytes under their SHA-256 (idempotent).
   *
   * @throws {UploadTooLargeError} above the size limit
   */
  async put(bytes: Uint8Array): Promise<StoredBlob> {
    if (bytes.length > this.#maxBytes) throw new UploadTooLargeError(bytes.length, this.#maxBytes);
    const sha256 = BlobStore.digest(bytes);
    const path = this.pathFor(sha256);
    if (await this.has(sha256)) return { sha256, size: bytes.length, path, created: false };
    await Deno.mkdir(dirname(path), { recursive: true });
    const temp = `${path}.tmp-${crypto.randomUUID()}`;
    try {
      await Deno.writeFile(temp, bytes, { mode: 0o600 });
      await Deno.rename(temp, path);
    } catch (e) {
      await Deno.remove(temp).catch(() => {});
      throw e;
    }
    return { sha256, size: bytes.length, path, created: true };
  }

  /**
   * Reads a blob.
   *
   * @throws {Deno.errors.NotFound} when it is not stored
   */
  async get(sha256: string): Promise<Uint8Array> {
    return await Deno.readFile(this.pathFor(sha256));
  }

  /** Whether a blob is stored. */
  async has(sha256: string): Promise<boolean> {
    try {
      return (await Deno.stat(this.pathFor(sha256))).isFile;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      return false;
    }
  }

  /**
   * Deletes a blob once nothing refers to it.
   *
   * @param sha256 the blob
   * @param remainingReferences rows still referring to it (from the database)
   * @returns whether the file was removed
   */
  async release(sha256: string, remainingReferences: number): Promise<boolean> {
    if (remainingReferences > 0) return false;
    try {
      await Deno.remove(this.pathFor(sha256));
      return true;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      return false;
    }
  }
}
