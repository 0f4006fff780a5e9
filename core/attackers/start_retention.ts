import type { Logger } from "../log/mod.ts";

/** Options of {@linkcode startRetention}. */
export interface RetentionOptions {
  /** What is pruned, for the log: e.g. "canary triggers". */
  what: string;
  /** Deletes up to `limit` rows older than `before`, oldest first; resolves to how many. */
  prune(options: { before: Date; limit: number }): Promise<number>;
  /** Days a row is kept; 0 keeps them forever. */
  retentionDays: number;
  /** Time between passes. @default 3_600_000 (one hour) */
  intervalMs?: number;
  /** Rows deleted per transaction, oldest first. @default 1000 */
  batchSize?: number;
  /** The clock the cut-off is taken from. @default () => new Date() */
  now?: () => Date;
  log?: Logger;
}

/** A running retention loop. */
export interface Retention extends AsyncDisposable {
  /** Runs one pass now (or joins the one running); resolves to the rows it deleted. */
  runNow(): Promise<number>;
  /** Stops the loop after the batch in progress. Safe to call twice. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * Removes rows older than the retention (canary triggers, service events),
 * in bounded batches (each a short transaction, so ingestion is never held
 * up for long), at start and then every `intervalMs`. With `retentionDays` 0
 * nothing is scheduled.
 *
 * @returns a handle whose `close()` stops the loop
 * @throws {RangeError} when a figure is negative or not whole
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import type { Logger } from "../log/logger.ts";
 * import type { Repositories } from "../db/repositories.ts";
 * import { startRetention } from "./start_retention.ts";
 * declare const config: Config;
 * declare const log: Logger;
 * declare const repos: Repositories;
 * await using retention = startRetention({
 *   what: "canary triggers",
 *   prune: (o) => repos.canary.pruneExpiredTriggers(o),
 *   retentionDays: config.canaryTriggerRetentionDays,
 *   log,
 * });
 * ```
 */
export function startRetention(options: RetentionOptions): Retention {
  const intervalMs = options.intervalMs ?? 3_600_000;
  const batchSize = options.batchSize ?? 1000;
  for (
    const [field, value, min] of [
      ["retentionDays", options.retentionDays, 0],
      ["intervalMs", intervalMs, 1],
      ["batchSize", batchSize, 1],
    ] as const
  ) {
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(
        `Cannot start retention of ${options.what}: ${field} must be >= ${min}, got ${value}`,
      );
    }
  }
  const now = options.now ?? (() => new Date());
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<number> | undefined;

  const pass = async (): Promise<number> => {
    const before = new Date(now().getTime() - options.retentionDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const n = await options.prune({ before, limit: batchSize });
      deleted += n;
      if (n < batchSize || closed) break;
    }
    if (deleted > 0) {
      options.log?.info(`expired ${options.what} removed`, {
        rows: deleted,
        before: before.toISOString(),
      });
    }
    return deleted;
  };
  const runNow = (): Promise<number> => {
    if (options.retentionDays === 0) return Promise.resolve(0);
    running ??= pass().finally(() => (running = undefined));
    return running;
  };
  const tick = async () => {
    try {
      await runNow();
    } catch (e) {
      // The database may be down: the next pass catches up.
      options.log?.warn(`cannot remove expired ${options.what}`, {
        error: e instanceof Error ? e.message : String(e),
      });
    }
    if (!closed) timer = setTimeout(() => void tick(), intervalMs);
  };
  if (options.retentionDays > 0) void tick();

  const close = async () => {
    closed = true;
    clearTimeout(timer);
    await running?.catch(() => {});
  };
  return { runNow, close, [Symbol.asyncDispose]: close };
}
