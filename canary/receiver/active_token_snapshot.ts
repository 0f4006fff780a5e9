import type { ActiveTokenSummary } from "../../core/db/mod.ts";
import { readActiveTokens } from "../../core/journal/mod.ts";
import type { Logger } from "../../core/log/mod.ts";

/** Options for {@linkcode ActiveTokenSnapshot.open}. */
export interface ActiveTokenSnapshotOptions {
  log: Logger;
  /** How often the file is checked for a change. @default 1000 */
  pollMs?: number;
}

/**
 * The active tokens as the collector last wrote them to the canary spool:
 * loaded at start (so a restart while the database is down still knows
 * every slug) and reloaded whenever the file changes. The canary worker
 * looks slugs up here instead of in the database it may not open.
 *
 * @example
 * ```ts
 * import type { Logger } from "../../core/log/logger.ts";
 * import { canarySpoolPaths } from "../../core/journal/spool_paths.ts";
 * import { ActiveTokenSnapshot } from "./active_token_snapshot.ts";
 * declare const log: Logger;
 * const paths = canarySpoolPaths("/var/lib/decnet");
 * await using tokens = await ActiveTokenSnapshot.open(paths.tokensFile, { log });
 * tokens.bySlug("Ab3dEf6hIj9kLm2nOp5qRs");
 * ```
 */
export class ActiveTokenSnapshot implements AsyncDisposable {
  readonly #path: string;
  readonly #log: Logger;
  #bySlug = new Map<string, ActiveTokenSummary>();
  #bySlugLc = new Map<string, ActiveTokenSummary>();
  #version = "";
  #timer: ReturnType<typeof setInterval> | undefined;
  #loading: Promise<void> | null = null;
  #loadedAt: Date | null = null;

  private constructor(path: string, log: Logger) {
    this.#path = path;
    this.#log = log;
  }

  /** Loads the snapshot (none yet: no token is known) and starts watching it. */
  static async open(
    path: string,
    options: ActiveTokenSnapshotOptions,
  ): Promise<ActiveTokenSnapshot> {
    const snapshot = new ActiveTokenSnapshot(path, options.log);
    await snapshot.reload();
    snapshot.#timer = setInterval(() => {
      snapshot.#loading ??= snapshot.reload().finally(() => snapshot.#loading = null);
    }, options.pollMs ?? 1000);
    return snapshot;
  }

  /** The active token with exactly this slug. */
  bySlug(slug: string): ActiveTokenSummary | undefined {
    return this.#bySlug.get(slug);
  }

  /** The active token whose lower-cased slug is `slugLc` (DNS). */
  bySlugLc(slugLc: string): ActiveTokenSummary | undefined {
    return this.#bySlugLc.get(slugLc);
  }

  /** Tokens known. */
  get size(): number {
    return this.#bySlug.size;
  }

  /** When the file was last read with a change, or null before the first snapshot. */
  get loadedAt(): Date | null {
    return this.#loadedAt;
  }

  /** Re-reads the file when it changed since the last read (a bad file keeps the old set). */
  async reload(): Promise<void> {
    let version: string;
    try {
      const stat = await Deno.stat(this.#path);
      version = `${stat.ino}:${stat.size}:${stat.mtime?.getTime()}`;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      return;
    }
    if (version === this.#version) return;
    try {
      const tokens = await readActiveTokens(this.#path) ?? [];
      this.#bySlug = new Map(tokens.map((t) => [t.slug, t]));
      this.#bySlugLc = new Map(tokens.map((t) => [t.slug.toLowerCase(), t]));
      this.#version = version;
      this.#loadedAt = new Date();
      this.#log.debug("active tokens loaded", { tokens: tokens.length });
    } catch (e) {
      this.#log.warn("cannot read the active tokens snapshot", { error: String(e) });
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#loading;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
