import type { JsonValue } from "../bus/mod.ts";
import type { JournalPosition } from "../db/mod.ts";
import { JournalCursorMovedError } from "../db/mod.ts";
import type { TcpFingerprint } from "../sniffer/tcp_fingerprint.ts";
import type { TcpProbe } from "../sniffer/tcp_probe.ts";
import type { AgentBatchOutbox } from "./agent_batch_outbox.ts";

/** Kind of the agent event holding one batch of the sniffer's journal. */
export const SNIFFER_BATCH_KIND = "sniffer_batch";

/** One record of a sniffer batch, in journal order, with where it ends in the journal. */
export type SnifferBatchRecord =
  & ({ fingerprint: TcpFingerprint } | { probe: TcpProbe })
  & { end?: JournalPosition };

const START: JournalPosition = { segment: 0, offset: 0 };

/**
 * The sniffer journal ingest's store and cursors on a swarm agent: the
 * fingerprints and probes of one journal batch are gathered as the ingest
 * hands them over, and sent as one `sniffer_batch` event when it moves the
 * cursor; the cursor moves once JetStream has them.
 *
 * @example
 * ```ts
 * import type { AgentBatchOutbox } from "./agent_batch_outbox.ts";
 * import { AgentSnifferBatches } from "./agent_sniffer_batches.ts";
 * declare const outbox: AgentBatchOutbox;
 * const sniffer = new AgentSnifferBatches(outbox);
 * // new SnifferJournalIngest({ cursors: sniffer, store: (f, end) => sniffer.store(f, end), … })
 * ```
 */
export class AgentSnifferBatches {
  readonly #outbox: AgentBatchOutbox;
  #records: SnifferBatchRecord[] = [];

  constructor(outbox: AgentBatchOutbox) {
    this.#outbox = outbox;
  }

  cursor(journal: string): Promise<JournalPosition> {
    return this.#outbox.cursor(journal, START);
  }

  store(fingerprint: TcpFingerprint, end: JournalPosition): Promise<void> {
    this.#records.push({ fingerprint, end });
    return Promise.resolve();
  }

  storeProbe(probe: TcpProbe, end: JournalPosition): Promise<void> {
    this.#records.push({ probe, end });
    return Promise.resolve();
  }

  /**
   * Sends what was gathered since the last call as the batch `from`..`to`.
   * A failed send forgets them: the ingest reads the same records again.
   *
   * @throws {JournalCursorMovedError} when the cursor is not at `from`
   */
  async advance(journal: string, from: JournalPosition, to: JournalPosition): Promise<void> {
    const records = this.#records;
    this.#records = [];
    await this.#outbox.send({
      key: journal,
      kind: SNIFFER_BATCH_KIND,
      from,
      to,
      fields: { records: records as unknown as JsonValue[] },
      moved: () => new JournalCursorMovedError(journal, from),
    }, START);
  }
}
