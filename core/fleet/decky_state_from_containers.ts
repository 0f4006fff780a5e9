import type { DeckyState } from "../db/mod.ts";

/**
 * A decky's state from what Docker runs: every expected container running
 * -> running; containers found but none running -> failed; some running ->
 * degraded; none found -> torn_down.
 *
 * @param expected How many containers the decky should have (base + services).
 * @param containers The decky's containers Docker reported, with their `state`.
 * @returns The derived state.
 * @example
 * ```ts
 * deckyStateFromContainers(2, [{ state: "running" }, { state: "exited" }]); // "degraded"
 * ```
 */
export function deckyStateFromContainers(
  expected: number,
  containers: readonly { state: string }[],
): DeckyState {
  if (containers.length === 0) return "torn_down";
  const running = containers.filter((c) => c.state === "running").length;
  if (running === 0) return "failed";
  if (running >= expected && running === containers.length) return "running";
  return "degraded";
}
