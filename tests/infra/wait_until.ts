/** Options for {@linkcode waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds. @default 20000 */
  timeoutMs?: number;
  /** Pause between tries. @default 50 */
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

/**
 * Polls `probe` until it returns true (readiness of a real server we started:
 * not a sleep standing in for synchronisation).
 */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  options: WaitUntilOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
  throw new Error(`Timed out waiting for ${options.what ?? "condition"}`, { cause: lastError });
}
