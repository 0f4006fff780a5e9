import { attackerTopic } from "../bus/mod.ts";
import type { AttackerRow } from "../db/mod.ts";
import type { TcpProbe } from "../sniffer/mod.ts";
import { attackerView } from "./attacker_views.ts";
import type { RecordTcpFingerprintDeps } from "./record_tcp_fingerprint.ts";

/** What {@linkcode recordTcpProbe} writes to and publishes on: the same as for a passive fingerprint. */
export type RecordTcpProbeDeps = RecordTcpFingerprintDeps;

/**
 * Puts an active probe's result on its source's attacker record
 * (`tcp_fingerprint.probe`), then publishes `attacker.<id>.observed` with
 * the record (after the commit; a failed publish never fails it).
 *
 * @returns the attacker as stored, or null (a benign source, or no record for it)
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { Repositories } from "../db/mod.ts";
 * import type { TcpProbe } from "../sniffer/mod.ts";
 * declare const repos: Repositories;
 * declare const bus: Bus;
 * declare const probe: TcpProbe;
 * const attacker = await recordTcpProbe({ repos, bus }, probe);
 * attacker?.tcpFingerprint?.probe?.ports[0].state;
 * ```
 */
export async function recordTcpProbe(
  deps: RecordTcpProbeDeps,
  probe: TcpProbe,
): Promise<AttackerRow | null> {
  if (deps.isBenign?.(probe.src_ip)) return null;
  const attacker = await deps.repos.tcpFingerprints.recordTcpProbe(probe);
  if (attacker) deps.bus.publish(attackerTopic(attacker.id, "observed"), attackerView(attacker));
  return attacker;
}
