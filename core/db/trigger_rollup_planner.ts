import type { TriggerInput } from "./repositories/canary_repository.ts";
import { sourcePrefix } from "./source_prefix.ts";
import { triggerShape } from "./trigger_shape.ts";

/** Rows per token, source and request shape per minute before repeats are rolled up. */
export const DEFAULT_TRIGGER_RATE = 10;
/** Rows of their own per token per minute before further hits are rolled up by source prefix. */
export const DEFAULT_TRIGGER_CAP = 100;
/** Prefix rollup rows per token per minute; beyond them, one row counts the rest. */
export const PREFIX_ROLLUPS_PER_WINDOW = 32;
/** The rate window: a trigger's window is the UTC minute it occurred in. */
export const TRIGGER_WINDOW_MS = 60_000;

/** How floods of triggers are folded into counted rollup rows. */
export interface TriggerRollupConfig {
  /** Rows per token, source and shape per minute; 0: no per-source limit. @default 10 */
  ratePerMinute: number;
  /** Rows of their own per token per minute; 0: no cap. @default 100 */
  capPerMinute: number;
  /** Windows remembered at once; a forgotten one is read again from the database. @default 1024 */
  maxWindows?: number;
}

/** Why a rollup row exists: one source repeating a shape, a prefix over the cap, or the rest. */
export type RollupScope = "source" | "prefix" | "token";

/** A rollup row as the planner tracks it (the repository fills `id` once inserted). */
export interface RollupState {
  id: number | null;
  tokenUuid: string;
  scope: RollupScope;
  /** The source, its prefix (`198.51.100.0/24`), or `*`: stored in `src_ip`. */
  srcIp: string;
  /** First hit (the row's `occurred_at`) and last hit, ISO 8601. */
  firstAt: string;
  lastAt: string;
  hits: number;
  /** The first hit folded in: the row shows its request. */
  sample: TriggerInput;
}

/** A rollup row a batch creates or grows. */
export interface PlannedRollup {
  state: RollupState;
  /** Hits this batch adds, and the first and last of them. */
  added: number;
  firstAddedAt: string;
  lastAddedAt: string;
}

/** What to write for a batch: rows of their own, rollup rows, and the windows involved. */
export interface TriggerPlan {
  rows: TriggerInput[];
  rollups: PlannedRollup[];
  windows: string[];
}

/** A window the planner has not seen: the repository reads its rows and seeds it. */
export interface MissingWindow {
  key: string;
  tokenUuid: string;
  start: Date;
  end: Date;
}

/** A stored row of a window, as {@linkcode TriggerRollupPlanner.seed} reads it. */
export interface StoredWindowRow {
  id: number;
  trigger: TriggerInput;
  rollupScope: RollupScope | null;
  hitCount: number;
  lastAt: string | null;
}

interface WindowState {
  /** Rows of their own in this window. */
  own: number;
  /** source + shape hash -> rows of their own. */
  perKey: Map<string, number>;
  /** rollup key -> row. */
  rollups: Map<string, RollupState>;
  prefixRollups: number;
}

/**
 * Decides, per token and minute, which triggers get a row of their own and
 * which are counted into rollup rows. Every distinct (source, shape) gets up
 * to `ratePerMinute` rows; its further repeats grow one `source` rollup. Once
 * a token has `capPerMinute` rows of its own in a minute, new hits grow one
 * rollup per source prefix (/24, /64), at most {@linkcode PREFIX_ROLLUPS_PER_WINDOW},
 * then one `token` rollup. Rows per token per minute are therefore at most
 * cap + cap / rate + 32 + 1, however many sources a flood spoofs.
 *
 * Pure: the window comes from each trigger's own time (not a clock), so a
 * backlog ingested late rolls up as it would have live. State lives in memory,
 * seeded from the database for windows it has not seen (after a restart).
 *
 * @example
 * ```ts
 * import type { TriggerInput } from "./repositories/canary_repository.ts";
 * import { type MissingWindow, type StoredWindowRow, TriggerRollupPlanner } from "./trigger_rollup_planner.ts";
 * declare const batch: TriggerInput[];
 * declare function readWindow(w: MissingWindow): Promise<StoredWindowRow[]>;
 * const planner = new TriggerRollupPlanner({ ratePerMinute: 10, capPerMinute: 100 });
 * for (const w of planner.missing(batch)) planner.seed(w.key, await readWindow(w));
 * const { rows, rollups } = planner.plan(batch);
 * ```
 */
export class TriggerRollupPlanner {
  readonly #rate: number;
  readonly #cap: number;
  readonly #maxWindows: number;
  readonly #windows = new Map<string, WindowState>();

  constructor(config: TriggerRollupConfig) {
    for (const [field, value] of Object.entries(config)) {
      if (!Number.isInteger(value) || value < 0) {
        throw new RangeError(`Cannot plan trigger rollups: ${field} must be >= 0, got ${value}`);
      }
    }
    this.#rate = config.ratePerMinute;
    this.#cap = config.capPerMinute;
    this.#maxWindows = config.maxWindows ?? 1024;
  }

  /** False when both limits are 0: every trigger is a row of its own. */
  get enabled(): boolean {
    return this.#rate > 0 || this.#cap > 0;
  }

  /** The windows of `triggers` not yet known, each once. */
  missing(triggers: readonly TriggerInput[]): MissingWindow[] {
    const found = new Map<string, MissingWindow>();
    for (const t of triggers) {
      const key = windowKey(t);
      if (this.#windows.has(key) || found.has(key)) continue;
      const start = windowStart(t.occurredAt);
      found.set(key, {
        key,
        tokenUuid: t.tokenUuid,
        start: new Date(start),
        end: new Date(start + TRIGGER_WINDOW_MS),
      });
    }
    return [...found.values()];
  }

  /** Learns a window from its stored rows (rows of their own and rollups). */
  seed(key: string, rows: readonly StoredWindowRow[]): void {
    const w = emptyWindow();
    for (const row of rows) {
      const t = row.trigger;
      if (row.rollupScope === null) {
        const k = ownKey(t);
        w.perKey.set(k, (w.perKey.get(k) ?? 0) + 1);
        w.own++;
        continue;
      }
      const at = t.occurredAt.toISOString();
      w.rollups.set(rollupKey(row.rollupScope, t), {
        id: row.id,
        tokenUuid: t.tokenUuid,
        scope: row.rollupScope,
        srcIp: t.srcIp,
        firstAt: at,
        lastAt: row.lastAt ?? at,
        hits: row.hitCount,
        sample: t,
      });
      if (row.rollupScope === "prefix") w.prefixRollups++;
    }
    this.#windows.set(key, w);
  }

  /** Forgets windows (after a failed write) so they are read again from the database. */
  forget(keys: readonly string[]): void {
    for (const key of keys) this.#windows.delete(key);
  }

  /** Decides every trigger of the batch and updates the windows' counts. */
  plan(triggers: readonly TriggerInput[]): TriggerPlan {
    const rows: TriggerInput[] = [];
    const planned = new Map<RollupState, PlannedRollup>();
    const windows = new Set<string>();
    for (const t of triggers) {
      const wk = windowKey(t);
      windows.add(wk);
      const w = this.#touch(wk);
      const key = ownKey(t);
      const seen = w.perKey.get(key) ?? 0;
      const underRate = this.#rate === 0 || seen < this.#rate;
      if (underRate && (this.#cap === 0 || w.own < this.#cap)) {
        w.perKey.set(key, seen + 1);
        w.own++;
        rows.push(t);
        continue;
      }
      const state = this.#rollupOf(w, t, underRate ? "prefix" : "source");
      const at = t.occurredAt.toISOString();
      state.hits++;
      if (at > state.lastAt) state.lastAt = at;
      if (state.id === null && at < state.firstAt) state.firstAt = at;
      const p = planned.get(state);
      if (!p) planned.set(state, { state, added: 1, firstAddedAt: at, lastAddedAt: at });
      else {
        p.added++;
        if (at < p.firstAddedAt) p.firstAddedAt = at;
        if (at > p.lastAddedAt) p.lastAddedAt = at;
      }
    }
    while (this.#windows.size > this.#maxWindows) {
      this.#windows.delete(this.#windows.keys().next().value!);
    }
    return { rows, rollups: [...planned.values()], windows: [...windows] };
  }

  /**
   * The rollup row a hit is counted in: its source's (repeats beyond the
   * rate), else its prefix's while the window has room for one, else the
   * token's. Created (without an id) on first use.
   */
  #rollupOf(w: WindowState, t: TriggerInput, wanted: "source" | "prefix"): RollupState {
    let scope: RollupScope = wanted;
    let key = rollupKey(scope, t);
    if (scope === "prefix" && !w.rollups.has(key) && w.prefixRollups >= PREFIX_ROLLUPS_PER_WINDOW) {
      scope = "token";
      key = rollupKey(scope, t);
    }
    const found = w.rollups.get(key);
    if (found) return found;
    const at = t.occurredAt.toISOString();
    const srcIp = scope === "source" ? t.srcIp : scope === "prefix" ? sourcePrefix(t.srcIp) : "*";
    const state: RollupState = {
      id: null,
      tokenUuid: t.tokenUuid,
      scope,
      srcIp,
      firstAt: at,
      lastAt: at,
      hits: 0,
      sample: t,
    };
    w.rollups.set(key, state);
    if (scope === "prefix") w.prefixRollups++;
    return state;
  }

  /** The window's state, moved to the most recently used end (created empty if unknown). */
  #touch(key: string): WindowState {
    const w = this.#windows.get(key) ?? emptyWindow();
    this.#windows.delete(key);
    this.#windows.set(key, w);
    return w;
  }
}

function emptyWindow(): WindowState {
  return { own: 0, perKey: new Map(), rollups: new Map(), prefixRollups: 0 };
}

function windowStart(at: Date): number {
  return Math.floor(at.getTime() / TRIGGER_WINDOW_MS) * TRIGGER_WINDOW_MS;
}

function windowKey(t: TriggerInput): string {
  return `${t.tokenUuid}|${windowStart(t.occurredAt)}`;
}

// Shapes can be long (paths, user agents): windows keep a 53-bit hash of each.
function ownKey(t: TriggerInput): string {
  return `${t.srcIp}\n${hash53(triggerShape(t))}`;
}

function rollupKey(scope: RollupScope, t: TriggerInput): string {
  if (scope === "source") return `s\n${ownKey(t)}`;
  return scope === "prefix" ? `p\n${sourcePrefix(t.srcIp)}` : "t";
}

/** cyrb53: a fast non-cryptographic string hash (collisions only merge two counts). */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
