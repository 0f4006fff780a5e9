import type { Kysely, Transaction } from "kysely";
import { mergeTcpSnapshot } from "../../sniffer/mod.ts";
import type { TcpFingerprint, TcpProbe } from "../../sniffer/mod.ts";
import { emptyRollup } from "../attacker_rollup.ts";
import type { DbEngine } from "../db_handle.ts";
import type { Database } from "../schema.ts";
import { retryTransaction } from "./_retry_transaction.ts";
import { type AttackerRow, fromAttackerRow } from "./attackers_repository.ts";

/** What recording a fingerprint did. */
export interface RecordedTcpFingerprint {
  /** The attacker as stored after the event, snapshot included. */
  attacker: AttackerRow;
  /** Whether the event created the attacker (its first sign of life was a SYN). */
  created: boolean;
}

/**
 * TCP fingerprints from the sniffer, joined to the attacker records: each
 * event is kept, and the attacker's `tcp_fingerprint` snapshot is folded
 * forward in the same transaction (the latest non-unknown class wins). On
 * MySQL/MariaDB the attacker row is read `FOR UPDATE`, so a sensor batch
 * folding into it at the same moment waits rather than being overwritten.
 *
 * @example
 * ```ts
 * import type { TcpFingerprint, TcpProbe } from "../../sniffer/mod.ts";
 * import type { TcpFingerprintsRepository } from "./tcp_fingerprints_repository.ts";
 * declare const repo: TcpFingerprintsRepository;
 * declare const event: TcpFingerprint;
 * const { attacker } = await repo.recordTcpFingerprint(event);
 * attacker.tcpFingerprint?.os_guess;
 * ```
 */
export class TcpFingerprintsRepository {
  readonly #db: Kysely<Database>;
  /** Row locks (`FOR UPDATE`): MySQL/MariaDB only; SQLite runs one write transaction at a time. */
  readonly #lockRows: boolean;

  constructor(db: Kysely<Database>, options: { engine?: DbEngine } = {}) {
    this.#db = db;
    this.#lockRows = options.engine === "mysql";
  }

  /**
   * Stores one fingerprint event for its source address and folds it into
   * that attacker's snapshot, creating the attacker when absent.
   */
  async recordTcpFingerprint(event: TcpFingerprint): Promise<RecordedTcpFingerprint> {
    return await retryTransaction(this.#db, (trx) => this.#record(trx, event));
  }

  async #record(
    trx: Transaction<Database>,
    event: TcpFingerprint,
  ): Promise<RecordedTcpFingerprint> {
    const row = await trx.selectFrom("attackers").selectAll().where("ip", "=", event.src_ip)
      .$if(this.#lockRows, (q) => q.forUpdate()).executeTakeFirst();
    const time = event.occurred_at;
    let attacker: AttackerRow;
    if (row) {
      const previous = fromAttackerRow(row);
      const snapshot = mergeTcpSnapshot(previous.tcpFingerprint ?? null, event);
      const firstSeen = time < previous.firstSeen ? time : previous.firstSeen;
      const lastSeen = time > previous.lastSeen ? time : previous.lastSeen;
      await trx.updateTable("attackers").set({
        first_seen: firstSeen,
        last_seen: lastSeen,
        tcp_fingerprint: JSON.stringify(snapshot),
      }).where("id", "=", previous.id).execute();
      attacker = { ...previous, firstSeen, lastSeen, tcpFingerprint: snapshot };
    } else {
      const snapshot = mergeTcpSnapshot(null, event);
      const values = {
        ip: event.src_ip,
        first_seen: time,
        last_seen: time,
        event_count: 0,
        credential_count: 0,
        command_count: 0,
        rollup: JSON.stringify(emptyRollup()),
        tcp_fingerprint: JSON.stringify(snapshot),
      };
      const result = await trx.insertInto("attackers").values(values).executeTakeFirst();
      attacker = fromAttackerRow({ id: Number(result.insertId), ...values });
    }
    await trx.insertInto("tcp_fingerprints").values({
      attacker_id: attacker.id,
      occurred_at: time,
      src_ip: event.src_ip,
      decky: event.decky,
      os_guess: event.os_guess,
      ipid_class: event.ipid_class,
      isn_class: event.isn_class,
      event: JSON.stringify(event),
    }).execute();
    return { attacker, created: !row };
  }

  /**
   * Puts an active probe's result on its source's attacker record (the
   * snapshot's `probe`, the latest winning); returns the attacker as stored,
   * or null when the address has no record (a benign source: its SYNs made
   * none).
   */
  async recordTcpProbe(probe: TcpProbe): Promise<AttackerRow | null> {
    return await retryTransaction(this.#db, async (trx) => {
      const row = await trx.selectFrom("attackers").selectAll().where("ip", "=", probe.src_ip)
        .$if(this.#lockRows, (q) => q.forUpdate()).executeTakeFirst();
      if (!row) return null;
      const attacker = fromAttackerRow(row);
      // A probe follows the source's first fingerprint, so a snapshot is there to hold it.
      if (!attacker.tcpFingerprint) return null;
      const previous = attacker.tcpFingerprint.probe;
      if (previous && previous.occurred_at > probe.occurred_at) return attacker;
      const snapshot = { ...attacker.tcpFingerprint, probe };
      await trx.updateTable("attackers").set({ tcp_fingerprint: JSON.stringify(snapshot) })
        .where("id", "=", attacker.id).execute();
      return { ...attacker, tcpFingerprint: snapshot };
    });
  }

  /** An attacker's fingerprint events, newest first. */
  async listTcpFingerprints(
    attackerId: number,
    page: { limit: number; offset: number },
  ): Promise<{ items: TcpFingerprint[]; total: number }> {
    const query = this.#db.selectFrom("tcp_fingerprints").where("attacker_id", "=", attackerId);
    const [rows, count] = await Promise.all([
      query.select("event").orderBy("id", "desc").limit(page.limit).offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => JSON.parse(r.event) as TcpFingerprint),
      total: Number(count.n),
    };
  }
}
