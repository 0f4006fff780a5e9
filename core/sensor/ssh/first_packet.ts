/**
 * Picks a connection's first binary packet (the client's cleartext KEXINIT)
 * out of the bytes as they pass to the SSH library, without holding them
 * back: the server's KEXINIT must not wait for the client's, as in sshd.
 *
 * @example
 * ```ts
 * const first = new FirstPacket(35_000);
 * first.feed(new Uint8Array([0, 0, 0, 12])); // undefined: incomplete
 * ```
 */
export class FirstPacket {
  readonly #limit: number;
  #buffer = new Uint8Array(0);
  #done = false;

  /** @param limit packets claiming more bytes than this are ignored */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Takes the next bytes; returns the whole packet (length field included) once, when complete. */
  feed(chunk: Uint8Array): Uint8Array | undefined {
    if (this.#done) return undefined;
    const merged = new Uint8Array(this.#buffer.length + chunk.length);
    merged.set(this.#buffer);
    merged.set(chunk, this.#buffer.length);
    this.#buffer = merged;
    if (merged.length < 4) return undefined;
    const length = new DataView(merged.buffer).getUint32(0);
    if (length > this.#limit) {
      this.#finish();
      return undefined;
    }
    if (merged.length < 4 + length) return undefined;
    this.#finish();
    return merged.slice(0, 4 + length);
  }

  #finish(): void {
    this.#done = true;
    this.#buffer = new Uint8Array(0);
  }
}
