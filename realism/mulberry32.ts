/**
 * A small seeded PRNG (mulberry32): returns a function yielding floats in
 * [0, 1), the same sequence for the same seed. For deterministic tests and
 * `decnet realism preview --seed`; not for secrets.
 *
 * @param seed any number; only its low 32 bits matter
 * @returns a `rand()` function
 * @example
 * ```ts
 * const rand = mulberry32(42);
 * const roll = rand(); // 0 <= roll < 1
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return function rand(): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
