import { concatBytes } from "./_concat_bytes.ts";

/** Which output a demultiplexed chunk belongs to. */
export type OutputStream = "stdout" | "stderr";

const HEADER_SIZE = 8;

/**
 * Splits Docker's multiplexed attach stream (non-TTY exec): each frame is an
 * 8-byte header `[stream, 0, 0, 0, size (uint32 big-endian)]` then `size` bytes;
 * stream 1 is stdout, 2 is stderr (0, stdin, is written to stdout as Docker does).
 * Chunks may split headers and payloads anywhere; `push` keeps the remainder.
 *
 * @example
 * ```ts
 * import type { Socket } from "node:net";
 * import { FrameDemuxer } from "./frame_demuxer.ts";
 * declare const socket: Socket;
 * const chunks = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
 * const demuxer = new FrameDemuxer((stream, bytes) => chunks[stream].push(bytes));
 * socket.on("data", (chunk: Uint8Array) => demuxer.push(chunk));
 * socket.on("end", () => demuxer.finish());
 * ```
 */
export class FrameDemuxer {
  readonly #emit: (stream: OutputStream, bytes: Uint8Array) => void;
  #pending: Uint8Array = new Uint8Array(0);

  /** @param emit Receives each payload (or part of one) with the stream it belongs to. */
  constructor(emit: (stream: OutputStream, bytes: Uint8Array) => void) {
    this.#emit = emit;
  }

  /** Feeds the next chunk read from the connection. */
  push(chunk: Uint8Array): void {
    let buffer = this.#pending.length === 0 ? chunk : concatBytes([this.#pending, chunk]);
    while (buffer.length >= HEADER_SIZE) {
      const size = new DataView(buffer.buffer, buffer.byteOffset, HEADER_SIZE).getUint32(4);
      if (buffer.length < HEADER_SIZE + size) break;
      if (size > 0) {
        const stream: OutputStream = buffer[0] === 2 ? "stderr" : "stdout";
        this.#emit(stream, buffer.slice(HEADER_SIZE, HEADER_SIZE + size));
      }
      buffer = buffer.subarray(HEADER_SIZE + size);
    }
    this.#pending = buffer.length === 0 ? new Uint8Array(0) : buffer.slice();
  }

  /**
   * Call at end of stream.
   * @throws {SyntaxError} When the stream ended inside a frame.
   */
  finish(): void {
    if (this.#pending.length > 0) {
      throw new SyntaxError(
        `Cannot read exec output: stream ended inside a frame, got "${this.#pending.length} bytes"`,
      );
    }
  }
}
