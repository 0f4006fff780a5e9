/**
 * Waits `ms`, or less: resolves (never rejects) as soon as `signal` aborts,
 * so a loop paced by it stops at once on shutdown.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * await abortableSleep(100, stop.signal);
 * ```
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
