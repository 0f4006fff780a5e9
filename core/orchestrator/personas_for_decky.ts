import type { Persona } from "../../realism/mod.ts";

/** Most personas living on one decky. */
export const MAX_PERSONAS_PER_DECKY = 3;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The personas living on a decky: a stable subset (1 to 3) of its pool,
 * chosen from the decky's uuid so the same people keep working on the same
 * machine from tick to tick (edits find their author again).
 *
 * @param deckyUuid the decky's uuid
 * @param pool the persona pool
 * @returns up to {@linkcode MAX_PERSONAS_PER_DECKY} personas, in pool order
 * @example
 * ```ts
 * import type { Persona } from "../../realism/persona.ts";
 * import { personasForDecky } from "./personas_for_decky.ts";
 * declare const personas: Persona[];
 * personasForDecky("0b6c5f9e-2d1a-4c33-9a55-0f3d2c1b7e10", personas); // the same answer every tick
 * ```
 */
export function personasForDecky(deckyUuid: string, pool: readonly Persona[]): Persona[] {
  if (pool.length <= 1) return [...pool];
  const h = fnv1a(deckyUuid);
  const count = Math.min(pool.length, 1 + (h % MAX_PERSONAS_PER_DECKY));
  const start = (h >>> 8) % pool.length;
  const step = pool.length > 2 ? 1 + ((h >>> 20) % (pool.length - 1)) : 1;
  const chosen = new Set<number>();
  for (let i = 0; chosen.size < count && i < pool.length * 2; i++) {
    chosen.add((start + i * step) % pool.length);
  }
  for (let i = 0; chosen.size < count; i++) chosen.add(i);
  return [...chosen].sort((a, b) => a - b).map((i) => pool[i]);
}
