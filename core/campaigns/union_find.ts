/**
 * Disjoint sets over 0..n−1 with path halving and union by size.
 *
 * @example
 * ```ts
 * const sets = new UnionFind(3);
 * sets.union(0, 2);
 * sets.find(2) === sets.find(0); // true
 * ```
 */
export class UnionFind {
  readonly #parent: Int32Array;
  readonly #size: Int32Array;

  constructor(n: number) {
    this.#parent = Int32Array.from({ length: n }, (_, i) => i);
    this.#size = new Int32Array(n).fill(1);
  }

  /** The representative of `i`'s set. */
  find(i: number): number {
    const parent = this.#parent;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Joins the sets of `a` and `b`; false when they were already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a), rb = this.find(b);
    if (ra === rb) return false;
    if (this.#size[ra] < this.#size[rb]) [ra, rb] = [rb, ra];
    this.#parent[rb] = ra;
    this.#size[ra] += this.#size[rb];
    return true;
  }
}
