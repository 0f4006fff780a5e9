import type { OrchestratorKind } from "../bus/mod.ts";
import type { ActionWeights } from "../../realism/mod.ts";

const KINDS: readonly OrchestratorKind[] = ["traffic", "file", "email"];

/**
 * The order in which a tick tries the action kinds: the first is rolled by
 * weight, the rest follow (each next one rolled by weight among those left)
 * so a kind with nothing to do falls through to the others. Kinds weighted
 * 0 are never tried.
 *
 * @param weights relative weights (negative counts as 0)
 * @param random uniform randomness in [0, 1)
 * @returns every kind with a weight above 0 once, the rolled one first
 * @example
 * ```ts
 * import { rollActionOrder } from "./action_weights.ts";
 * import { DEFAULT_ACTION_WEIGHTS } from "../../realism/realism_settings.ts";
 * rollActionOrder(DEFAULT_ACTION_WEIGHTS, () => 0.95); // ["email", ...]
 * ```
 */
export function rollActionOrder(
  weights: ActionWeights,
  random: () => number,
): OrchestratorKind[] {
  const left = KINDS.filter((k) => weights[k] > 0);
  const order: OrchestratorKind[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, k) => sum + weights[k], 0);
    let roll = random() * total;
    let index = left.findIndex((k) => {
      if (roll < weights[k]) return true;
      roll -= weights[k];
      return false;
    });
    if (index < 0) index = left.length - 1;
    order.push(left[index]);
    left.splice(index, 1);
  }
  return order;
}
