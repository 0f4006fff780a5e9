/** Name prefix of decnet's Deno Workers (`worker:canary`). */
export const WORKER_NAME_PREFIX = "worker:";

/**
 * Whether this code runs inside one of decnet's Deno Workers. Kept free of
 * imports so the entry can decide before loading anything else.
 */
export function isWorkerThread(): boolean {
  const name = (globalThis as { name?: unknown }).name;
  return typeof name === "string" && name.startsWith(WORKER_NAME_PREFIX);
}
