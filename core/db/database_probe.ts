import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** The database as the last probe found it. */
export interface DatabaseStatus {
  reachable: boolean;
  /** When the last probe finished (null before the first). */
  checkedAt: Date | null;
  /** Why the last probe failed. */
  error: string | null;
}

/** Options for {@linkcode DatabaseProbe}. */
export interface DatabaseProbeOptions {
  /** Between probes. @default 3000 */
  intervalMs?: number;
  /** A probe slower than this counts as a failure. @default 2000 */
  timeoutMs?: number;
}

/**
 * Asks the database `SELECT 1` every few seconds in the background, so a
 * health check can say whether it is reachable without waiting on it.
 *
 * @example
 * ```ts
 * import type { DbHandle } from "./db_handle.ts";
 * import { DatabaseProbe } from "./database_probe.ts";
 * declare const handle: DbHandle;
 * using probe = new DatabaseProbe(handle.db);
 * probe.status().reachable;
 * ```
 */
export class DatabaseProbe implements Disposable {
  readonly #db: Kysely<Database>;
  readonly #timeoutMs: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #status: DatabaseStatus = { reachable: true, checkedAt: null, error: null };
  #inflight: Promise<DatabaseStatus> | null = null;

  constructor(db: Kysely<Database>, options: DatabaseProbeOptions = {}) {
    this.#db = db;
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#timer = setInterval(() => void this.probe(), options.intervalMs ?? 3000);
    void this.probe();
  }

  status(): DatabaseStatus {
    return { ...this.#status };
  }

  /** Probes now (joining the probe already running, if any). */
  probe(): Promise<DatabaseStatus> {
    return this.#inflight ??= this.#probe().finally(() => this.#inflight = null);
  }

  async #probe(): Promise<DatabaseStatus> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(this.#db),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.#timeoutMs} ms`)),
            this.#timeoutMs,
          );
        }),
      ]);
      this.#status = { reachable: true, checkedAt: new Date(), error: null };
    } catch (e) {
      this.#status = {
        reachable: false,
        checkedAt: new Date(),
        error: e instanceof Error ? e.message : String(e),
      };
    } finally {
      clearTimeout(timer);
    }
    return this.status();
  }

  [Symbol.dispose](): void {
    clearInterval(this.#timer);
  }
}
