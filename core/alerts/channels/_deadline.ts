import { ChannelError } from "../channel_error.ts";

/**
 * `work`, or a retryable {@linkcode ChannelError} naming `what` when it takes
 * longer than `timeoutMs` or `signal` aborts first (then `signal.reason`).
 * A result that arrives too late goes to `discard` (e.g. to close a
 * connection nobody will use).
 */
export function deadline<T>(
  work: Promise<T>,
  options: { timeoutMs: number; what: string; signal?: AbortSignal; discard?: (late: T) => void },
): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) {
    work.then(options.discard, () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const giveUp = (reason: unknown) => {
      if (settled) return;
      finish();
      reject(reason);
      work.then(options.discard, () => {});
    };
    const onAbort = () => giveUp(signal?.reason);
    const timer = setTimeout(
      () =>
        giveUp(
          new ChannelError(`${options.what} timed out after ${options.timeoutMs} ms`, {
            retryable: true,
          }),
        ),
      options.timeoutMs,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        if (settled) return;
        finish();
        resolve(value);
      },
      (e) => {
        if (settled) return;
        finish();
        reject(e);
      },
    );
  });
}
