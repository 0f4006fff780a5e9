// Folder-private helpers over an injected `rand: () => number` in [0, 1).

/** A uniformly chosen element of a non-empty array. */
export function pickOne<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length) % items.length];
}

/** A whole number in [min, max]. */
export function randInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1)) % (max - min + 1);
}

/** True with probability `p`. */
export function chance(rand: () => number, p: number): boolean {
  return rand() < p;
}

/** Chooses a key by weight; null when every weight is 0. */
export function pickWeighted<K extends string>(
  rand: () => number,
  keys: readonly K[],
  weights: Readonly<Record<K, number>>,
): K | null {
  let total = 0;
  for (const k of keys) total += Math.max(0, weights[k]);
  if (total <= 0) return null;
  let roll = rand() * total;
  for (const k of keys) {
    const w = Math.max(0, weights[k]);
    if (roll < w) return k;
    roll -= w;
  }
  for (let i = keys.length - 1; i >= 0; i--) if (weights[keys[i]] > 0) return keys[i];
  return null;
}

/** `count` distinct elements (fewer when the array is shorter), in random order. */
export function pickSome<T>(rand: () => number, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    out.push(pool.splice(Math.floor(rand() * pool.length) % pool.length, 1)[0]);
  }
  return out;
}

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Random letters and digits, as mkstemp/mktemp fill their XXXXXX. */
export function randomAlnum(rand: () => number, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += ALNUM[Math.floor(rand() * ALNUM.length) % ALNUM.length];
  return s;
}
