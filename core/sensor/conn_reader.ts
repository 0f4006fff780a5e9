/** The byte source a {@linkcode ConnReader} pulls from (a `Deno.Conn` fits). */
export interface ByteSource {
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Thrown by {@linkcode ConnReader.readLine} when a line outgrows its limit. */
export class LineTooLongError extends RangeError {
  constructor(limit: number) {
    super(`Cannot read line: longer than ${limit} bytes`);
    this.name = "LineTooLongError";
  }
}

const CHUNK = 16 * 1024;

/**
 * Buffered reads of lines and exact byte counts from a connection, the two
 * shapes every decoy protocol needs. Nothing read is ever larger than the
 * limit the caller names, so a client cannot grow the sensor's memory.
 *
 * @example
 * ```ts
 * declare const conn: Deno.Conn;
 * const reader = new ConnReader(conn);
 * const line = await reader.readLine(8192); // "USER alice", or null at EOF
 * const header = await reader.readExact(4); // Uint8Array(4), or null at EOF
 * ```
 */
export class ConnReader {
  readonly #source: ByteSource;
  #buffer = new Uint8Array(0);
  #eof = false;

  constructor(source: ByteSource) {
    this.#source = source;
  }

  /** Bytes already received but not yet consumed. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * The next line without its terminator (CRLF or a bare LF), decoded as
   * latin1 so every byte survives; `null` at EOF with nothing pending.
   *
   * @throws {LineTooLongError} when `limit` bytes arrive without a newline
   */
  async readLine(limit: number): Promise<string | null> {
    let scanned = 0;
    while (true) {
      const at = this.#buffer.indexOf(0x0a, scanned);
      if (at >= 0) {
        if (at > limit) throw new LineTooLongError(limit);
        const end = at > 0 && this.#buffer[at - 1] === 0x0d ? at - 1 : at;
        const line = latin1(this.#buffer.subarray(0, end));
        this.#buffer = this.#buffer.slice(at + 1);
        return line;
      }
      if (this.#buffer.length > limit) throw new LineTooLongError(limit);
      scanned = this.#buffer.length;
      if (!await this.#fill()) {
        if (this.#buffer.length === 0) return null;
        const rest = latin1(this.#buffer);
        this.#buffer = new Uint8Array(0);
        return rest;
      }
    }
  }

  /** Exactly `n` bytes, or `null` if the peer closes first. */
  async readExact(n: number): Promise<Uint8Array | null> {
    while (this.#buffer.length < n) {
      if (!await this.#fill()) return null;
    }
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.slice(n);
    return out;
  }

  /** Whatever is buffered, or the next chunk received; `null` at EOF. */
  async readSome(): Promise<Uint8Array | null> {
    if (this.#buffer.length === 0 && !await this.#fill()) return null;
    const out = this.#buffer;
    this.#buffer = new Uint8Array(0);
    return out;
  }

  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = new Uint8Array(CHUNK);
    const n = await this.#source.read(chunk);
    if (n === null) {
      this.#eof = true;
      return false;
    }
    const merged = new Uint8Array(this.#buffer.length + n);
    merged.set(this.#buffer);
    merged.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = merged;
    return true;
  }
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}
