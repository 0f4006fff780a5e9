import type { Bus } from "../bus/mod.ts";
import { attackerTopic } from "../bus/mod.ts";
import type { RecordedTcpFingerprint, TcpFingerprintsRepository } from "../db/mod.ts";
import type { TcpFingerprint } from "../sniffer/mod.ts";
import { attackerView } from "./attacker_views.ts";

/** What {@linkcode recordTcpFingerprint} writes to and publishes on. */
export interface RecordTcpFingerprintDeps {
  repos: { tcpFingerprints: TcpFingerprintsRepository };
  bus: Bus;
  /**
   * The fleet's own and operator-listed sources (see `benignSources`): their
   * SYNs (deckies talking to each other) never make an attacker record.
   * @default nothing is benign
   */
  isBenign?: (ip: string) => boolean;
}

/**
 * Joins one sniffer fingerprint event to its attacker record: stores it and
 * folds the attacker's `tcp_fingerprint` snapshot in one transaction
 * (creating the attacker when the SYN is its first sign), then publishes
 * `attacker.<id>.tcp_fingerprint` with the event and `attacker.<id>.observed`
 * with the record. The publishes come after the commit and never fail it.
 *
 * @param deps repositories, bus and the benign-source test
 * @param event a fingerprint from the sniffer (checked with `parseTcpFingerprint`)
 * @returns what was stored, or null for a benign source
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { Repositories } from "../db/mod.ts";
 * import type { TcpFingerprint } from "../sniffer/mod.ts";
 * declare const repos: Repositories;
 * declare const bus: Bus;
 * declare const event: TcpFingerprint;
 * const recorded = await recordTcpFingerprint({ repos, bus }, event);
 * recorded?.attacker.tcpFingerprint?.ipid_class;
 * ```
 */
export async function recordTcpFingerprint(
  deps: RecordTcpFingerprintDeps,
  event: TcpFingerprint,
): Promise<RecordedTcpFingerprint | null> {
  if (deps.isBenign?.(event.src_ip)) return null;
  const recorded = await deps.repos.tcpFingerprints.recordTcpFingerprint(event);
  const { id } = recorded.attacker;
  deps.bus.publish(attackerTopic(id, "tcp_fingerprint"), { ...event, attacker_id: id });
  deps.bus.publish(attackerTopic(id, "observed"), attackerView(recorded.attacker));
  return recorded;
}
