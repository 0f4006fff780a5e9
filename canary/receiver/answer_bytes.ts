import { type NginxStatus, renderNginxResponse } from "../../core/http1/mod.ts";

/** What an answer's bytes depend on besides its status and second, as bits (see {@linkcode AnswerBytes.render}). */
export const ANSWER_KEEP_ALIVE = 1;
/** A HEAD request: the head alone. */
export const ANSWER_HEAD = 2;
/** The client takes gzip: a 404 page goes out compressed and chunked. */
export const ANSWER_GZIP = 4;

/**
 * The bytes nginx sends for the usual answers (any status, keep-alive or
 * not, HEAD, gzip), made by renderNginxResponse once per second of their
 * Date header and reused within it: no Date, string or encoding per
 * request. The clock is passed in as epoch milliseconds. HTTP/0.9 and MSIE
 * answers are rare and left to renderNginxResponse.
 *
 * @example
 * ```ts
 * import { ANSWER_KEEP_ALIVE, AnswerBytes } from "./answer_bytes.ts";
 * const answers = new AnswerBytes("nginx/1.22.1");
 * const bytes = answers.render(404, ANSWER_KEEP_ALIVE, Date.now());
 * ```
 */
export class AnswerBytes {
  readonly #server: string;
  #second = NaN;
  /** By status * 8 + flags; cleared when the second changes. */
  readonly #bytes = new Map<number, Uint8Array>();

  constructor(server: string) {
    this.#server = server;
  }

  /** The answer's bytes at `nowMs`; `flags` is a sum of ANSWER_KEEP_ALIVE, ANSWER_HEAD, ANSWER_GZIP. */
  render(status: NginxStatus, flags: number, nowMs: number): Uint8Array {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#bytes.clear();
    }
    const key = status * 8 + flags;
    let bytes = this.#bytes.get(key);
    if (bytes === undefined) {
      bytes = renderNginxResponse(status, {
        server: this.#server,
        date: new Date(nowMs),
        keepAlive: (flags & ANSWER_KEEP_ALIVE) !== 0,
        headOnly: (flags & ANSWER_HEAD) !== 0,
        gzip: (flags & ANSWER_GZIP) !== 0,
      });
      this.#bytes.set(key, bytes);
    }
    return bytes;
  }
}
