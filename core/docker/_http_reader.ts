// Reads one HTTP/1.1 response off a connection: the head, then the body framed by
// Content-Length, chunked transfer coding or the connection's end, or (after a 101
// upgrade) everything that follows, raw. Bytes read past the head stay buffered for
// the body; body chunks are handed on as read, so a followed log or a large exec
// output is never held whole.

import { concatBytes } from "./_concat_bytes.ts";

/** Where the reader gets bytes: a `Deno.Conn`, or a fake in tests. */
export interface ByteSource {
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Status and headers (names lower-cased; repeated ones joined with ", "). */
export interface ResponseHead {
  status: number;
  headers: Map<string, string>;
}

const READ_SIZE = 64 * 1024;
const HEAD_LIMIT = 64 * 1024;
const CHUNK_LINE_LIMIT = 4096;
const STATUS_LINE_REGEXP = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/;
const CHUNK_SIZE_REGEXP = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/;
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

/**
 * The daemon closed the connection inside a reply: a lost daemon, reported as
 * unreachable with the code Node's HTTP client gives it.
 */
function closedEarly(where: string): Error {
  return Object.assign(
    new Error(`Cannot read Docker reply: connection closed ${where}`),
    { code: "ECONNRESET" },
  );
}

/** Buffered reader of one response; see the module comment. */
export class HttpReader {
  readonly #source: ByteSource;
  #pending: Uint8Array = EMPTY;

  constructor(source: ByteSource) {
    this.#source = source;
  }

  /**
   * Reads the status line and headers.
   * @throws {SyntaxError} When they are not HTTP/1.x or longer than 64 KiB.
   */
  async readHead(): Promise<ResponseHead> {
    const statusLine = await this.#readLine(HEAD_LIMIT, "before the reply");
    const status = STATUS_LINE_REGEXP.exec(statusLine);
    if (!status) {
      throw new SyntaxError(
        `Cannot read Docker reply: expected an HTTP/1.x status line, got "${
          statusLine.slice(0, 80)
        }"`,
      );
    }
    const headers = new Map<string, string>();
    let size = statusLine.length;
    for (;;) {
      const line = await this.#readLine(
        Math.max(0, HEAD_LIMIT - size),
        "inside the reply's headers",
      );
      if (line === "") break;
      size += line.length + 2;
      const colon = line.indexOf(":");
      if (colon <= 0) {
        throw new SyntaxError(
          `Cannot read Docker reply: expected a "name: value" header, got "${line.slice(0, 80)}"`,
        );
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const earlier = headers.get(name);
      headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
    }
    return { status: Number(status[1]), headers };
  }

  /**
   * The body of the response whose head was read, as it arrives.
   * @param head From {@linkcode readHead}.
   * @throws {SyntaxError} When the framing is malformed.
   */
  body(head: ResponseHead): AsyncGenerator<Uint8Array> {
    const { status, headers } = head;
    if (status < 200 || status === 204 || status === 304) return none();
    const coding = headers.get("transfer-encoding");
    if (coding !== undefined && /(^|,)\s*chunked\s*$/i.test(coding)) return this.#chunked();
    const length = headers.get("content-length");
    if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) {
        throw new SyntaxError(
          `Cannot read Docker reply: expected a decimal Content-Length, got "${length}"`,
        );
      }
      return this.#exactly(Number(length));
    }
    return this.rest();
  }

  /** Everything after the head until the connection ends (an upgraded connection's stream). */
  async *rest(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = await this.#take(READ_SIZE);
      if (chunk === null) return;
      yield chunk;
    }
  }

  async *#exactly(length: number): AsyncGenerator<Uint8Array> {
    let left = length;
    while (left > 0) {
      const chunk = await this.#take(left);
      if (chunk === null) throw closedEarly(`after ${length - left} of ${length} body bytes`);
      left -= chunk.length;
      yield chunk;
    }
  }

  async *#chunked(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const line = await this.#readLine(CHUNK_LINE_LIMIT, "inside a chunked body");
      const size = CHUNK_SIZE_REGEXP.exec(line);
      if (!size) {
        throw new SyntaxError(
          `Cannot read Docker reply: expected a chunk size, got "${line.slice(0, 80)}"`,
        );
      }
      const length = parseInt(size[1], 16);
      if (length === 0) break;
      yield* this.#exactly(length);
      const end = await this.#readLine(CHUNK_LINE_LIMIT, "inside a chunked body");
      if (end !== "") {
        throw new SyntaxError(
          `Cannot read Docker reply: expected CRLF after a chunk, got "${end.slice(0, 80)}"`,
        );
      }
    }
    // Trailers, if any, end with an empty line.
    while (await this.#readLine(CHUNK_LINE_LIMIT, "inside a chunked body's trailer") !== "");
  }

  /** Up to `max` bytes: buffered ones first, else one read; null at the end of the connection. */
  async #take(max: number): Promise<Uint8Array | null> {
    if (this.#pending.length === 0) {
      const buffer = new Uint8Array(READ_SIZE);
      const n = await this.#source.read(buffer);
      if (n === null) return null;
      this.#pending = buffer.subarray(0, n);
    }
    const chunk = this.#pending.subarray(0, max);
    this.#pending = this.#pending.subarray(chunk.length);
    return chunk;
  }

  /** One CRLF-terminated line (without the CRLF) of at most `limit` bytes. */
  async #readLine(limit: number, where: string): Promise<string> {
    let searched = 0;
    for (;;) {
      const lf = this.#pending.indexOf(0x0a, searched);
      if (lf >= 0) {
        const end = lf > 0 && this.#pending[lf - 1] === 0x0d ? lf - 1 : lf;
        if (end > limit) break;
        const line = decoder.decode(this.#pending.subarray(0, end));
        this.#pending = this.#pending.subarray(lf + 1);
        return line;
      }
      if (this.#pending.length > limit) break;
      searched = this.#pending.length;
      const buffer = new Uint8Array(READ_SIZE);
      const n = await this.#source.read(buffer);
      if (n === null) throw closedEarly(where);
      this.#pending = concatBytes([this.#pending, buffer.subarray(0, n)]);
    }
    throw new SyntaxError(`Cannot read Docker reply: line longer than ${limit} bytes ${where}`);
  }
}

async function* none(): AsyncGenerator<Uint8Array> {}
