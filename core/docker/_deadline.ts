// One time limit per Docker call, merged with the caller's AbortSignal: its
// `signal` goes to the Engine API call (which closes its connection) and `race()`
// makes sure we stop waiting even where a call would not notice the abort.

export class Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #external?: AbortSignal;
  readonly #onExternalAbort = () => this.#controller.abort(this.#external?.reason);
  #timedOut = false;

  constructor(timeoutMs: number, external?: AbortSignal) {
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(`Cannot set Docker time limit: expected > 0 ms, got "${timeoutMs}"`);
    }
    this.signal = this.#controller.signal;
    this.#external = external;
    external?.throwIfAborted();
    external?.addEventListener("abort", this.#onExternalAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new DOMException("Docker call timed out", "TimeoutError"));
    }, timeoutMs);
  }

  /** True once the time limit fired (not when the caller aborted). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Resolves like `promise`, or rejects with the abort reason as soon as the deadline aborts. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      promise.catch(() => {});
      return Promise.reject(this.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.signal.reason);
      this.signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => {
          this.signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error) => {
          this.signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#external?.removeEventListener("abort", this.#onExternalAbort);
  }
}
