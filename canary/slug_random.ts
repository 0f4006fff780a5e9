import { createHash } from "node:crypto";

/**
 * Deterministic pseudo-randomness derived from a slug and a label: a SHA-256
 * counter stream, so every artifact varies per slug yet is reproducible.
 */
export class SlugRandom {
  readonly #seed: string;
  #counter = 0;
  #pool: Uint8Array = new Uint8Array(0);
  #offset = 0;

  /**
   * @param slug the token slug
   * @param label separates streams for different uses of the same slug
   */
  constructor(slug: string, label: string) {
    this.#seed = `${slug}\u0000${label}\u0000`;
  }

  /** The next `length` bytes of the stream. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      if (this.#offset >= this.#pool.length) {
        this.#pool = new Uint8Array(
          createHash("sha256").update(`${this.#seed}${this.#counter++}`).digest(),
        );
        this.#offset = 0;
      }
      out[i] = this.#pool[this.#offset++];
    }
    return out;
  }

  /** A float in [0, 1). */
  next(): number {
    const b = this.bytes(4);
    return ((b[0] << 24 >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]) / 2 ** 32;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct items of a list, in stream order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    }
    return out;
  }

  /** `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}
