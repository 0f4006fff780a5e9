/**
 * Where nginx would keep each line of a request head: its first buffer
 * (client_header_buffer_size), then up to `largeBuffers` buffers of
 * `largeBufferBytes` (large_client_header_buffers). A line that does not fit
 * what is left of the current buffer moves whole to a new one; when none is
 * left, or the line alone is longer than one, nginx refuses the request.
 */
export class NginxHeaderBuffers {
  readonly #largeBuffers: number;
  readonly #largeBufferBytes: number;
  #room: number;
  #largeUsed = 0;

  constructor(firstBytes: number, largeBuffers: number, largeBufferBytes: number) {
    this.#room = firstBytes;
    this.#largeBuffers = largeBuffers;
    this.#largeBufferBytes = largeBufferBytes;
  }

  /** Places a line of `length` bytes; false when nginx has no room for it. */
  place(length: number): boolean {
    if (length <= this.#room) {
      this.#room -= length;
      return true;
    }
    if (length > this.#largeBufferBytes || this.#largeUsed >= this.#largeBuffers) return false;
    this.#largeUsed++;
    this.#room = this.#largeBufferBytes - length;
    return true;
  }

  /** Whether a line of `length` bytes would still fit, placing nothing. */
  fits(length: number): boolean {
    return length <= this.#room ||
      (length <= this.#largeBufferBytes && this.#largeUsed < this.#largeBuffers);
  }
}
