import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";

/** MySQL/MariaDB errors after which the whole transaction may simply run again. */
const RETRYABLE_ERRNOS = new Set([
  // ER_LOCK_DEADLOCK: two writers' row locks crossed; the server rolled this one back.
  1213,
  // ER_DUP_ENTRY: another writer inserted the same key (a new attacker) after this one looked.
  1062,
]);

/** Runs of a transaction before its error is thrown. */
const ATTEMPTS = 5;

/**
 * Runs `fn` in a transaction, again when MySQL/MariaDB rolled it back for a
 * deadlock or because another writer inserted the same row first; the
 * retry reads what the other wrote (and locks it), so nothing is lost.
 * Any other error, or the last attempt's, is thrown.
 *
 * @example
 * ```ts
 * import type { Kysely } from "kysely";
 * import type { Database } from "../schema.ts";
 * import { retryTransaction } from "./_retry_transaction.ts";
 * declare const db: Kysely<Database>;
 * await retryTransaction(db, (trx) => trx.deleteFrom("attackers").execute());
 * ```
 */
export async function retryTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (e) {
      const errno = (e as { errno?: unknown }).errno;
      if (attempt >= ATTEMPTS || typeof errno !== "number" || !RETRYABLE_ERRNOS.has(errno)) throw e;
    }
  }
}
