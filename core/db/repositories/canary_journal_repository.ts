import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";
import {
  ACTIVE_TOKEN_STATES,
  type CanaryRepository,
  type RecordedTriggers,
  type TriggerInput,
} from "./canary_repository.ts";

/** A position in a segmented journal: everything before it is ingested. */
export interface JournalPosition {
  segment: number;
  offset: number;
}

/** An active token as the journal's writer (the canary listeners) needs it: its slug. */
export interface ActiveTokenSummary {
  uuid: string;
  slug: string;
}

/** Thrown when the stored cursor is not where the ingest started (another ingest ran). */
export class JournalCursorMovedError extends Error {
  constructor(journal: string, expected: JournalPosition) {
    super(
      `Cannot ingest journal ${journal}: its cursor is no longer at ${expected.segment}:${expected.offset}`,
    );
    this.name = "JournalCursorMovedError";
  }
}

/**
 * The canary trigger journals' cursors, moved in the same transaction as
 * the triggers they cover: a batch is stored exactly once, whatever crashes.
 *
 * @example
 * ```ts
 * import type { TriggerInput } from "./canary_repository.ts";
 * import type { CanaryJournalRepository, JournalPosition } from "./canary_journal_repository.ts";
 * declare const journals: CanaryJournalRepository;
 * declare const triggers: TriggerInput[];
 * declare const to: JournalPosition; // where the read of `triggers` ended
 * const from = await journals.cursor("canary@local");
 * await journals.ingest("canary@local", from, to, triggers);
 * ```
 */
export class CanaryJournalRepository {
  readonly #db: Kysely<Database>;
  readonly #canary: CanaryRepository;
  readonly #clock: Clock;

  /** `canary` stores the triggers (with its rollup of floods) in the cursor's transaction. */
  constructor(db: Kysely<Database>, canary: CanaryRepository, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#canary = canary;
    this.#clock = options.clock ?? systemClock;
  }

  /** Where the journal's ingest stands (its start when never ingested). */
  async cursor(journal: string): Promise<JournalPosition> {
    await this.#db.insertInto("canary_journal_cursors")
      .values({ journal, segment: 0, byte_offset: 0, updated_at: isoTime(this.#clock()) })
      .orIgnore().execute();
    const row = await this.#db.selectFrom("canary_journal_cursors")
      .select(["segment", "byte_offset"]).where("journal", "=", journal).executeTakeFirstOrThrow();
    return { segment: Number(row.segment), offset: Number(row.byte_offset) };
  }

  /** Every issued or planted token, by slug (what the listeners may record). */
  async activeTokens(): Promise<ActiveTokenSummary[]> {
    const rows = await this.#db.selectFrom("canary_tokens")
      .select(["uuid", "callback_token"])
      .where("state", "in", ACTIVE_TOKEN_STATES).orderBy("callback_token").execute();
    return rows.map((r) => ({ uuid: r.uuid, slug: r.callback_token }));
  }

  /**
   * Records `triggers` (each with its token's counters, floods rolled up)
   * and moves the cursor from `from` to `to`, in one transaction. Triggers
   * of a token that does not exist (a forged journal line) are left out.
   *
   * @returns what was written: triggers stored as rows of their own, rollup rows created or grown
   * @throws {JournalCursorMovedError} when the cursor is not at `from` (nothing is written)
   */
  async ingest(
    journal: string,
    from: JournalPosition,
    to: JournalPosition,
    triggers: TriggerInput[],
  ): Promise<RecordedTriggers> {
    const uuids = [...new Set(triggers.map((t) => t.tokenUuid))];
    // Tokens are revoked, never deleted: one that exists now still exists at the commit.
    const known = new Set(
      uuids.length === 0 ? [] : (await this.#db.selectFrom("canary_tokens").select("uuid")
        .where("uuid", "in", uuids).execute()).map((r) => r.uuid),
    );
    return await this.#canary.recordTriggers(triggers.filter((t) => known.has(t.tokenUuid)), {
      within: async (trx) => {
        const moved = await trx.updateTable("canary_journal_cursors")
          .set({ segment: to.segment, byte_offset: to.offset, updated_at: isoTime(this.#clock()) })
          .where("journal", "=", journal)
          .where("segment", "=", from.segment)
          .where("byte_offset", "=", from.offset)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new JournalCursorMovedError(journal, from);
      },
    });
  }
}
