import type { SequenceClass, TcpFingerprint } from "./tcp_fingerprint.ts";
import type { TcpProbe } from "./tcp_probe.ts";

/**
 * What an attacker record keeps of its source's TCP stack: the latest
 * fingerprint, except that a sequence class only moves to another known
 * class (a fresh "unknown" after an eviction does not erase what was learnt).
 */
export type TcpStackSnapshot = Omit<TcpFingerprint, "repeats"> & {
  /** When the first fingerprint of this source was recorded. */
  first_seen: string;
  /** Fingerprint events recorded: key transitions. */
  transitions: number;
  /** SYNs those events account for (each event is one SYN plus its repeats). */
  syn_count: number;
  /** The active prober's latest probe of this source (DECNET_PROBER=on); absent when never probed. */
  probe?: TcpProbe;
};

/**
 * Folds one fingerprint event into a source's snapshot.
 *
 * @param previous the snapshot so far, or null for the first event
 * @param event the new fingerprint
 * @returns the new snapshot (previous is not changed)
 * @example
 * ```ts
 * import type { TcpFingerprint } from "./tcp_fingerprint.ts";
 * declare const first: TcpFingerprint;
 * declare const second: TcpFingerprint;
 * const snapshot = mergeTcpSnapshot(mergeTcpSnapshot(null, first), second);
 * snapshot.transitions; // 2
 * ```
 */
export function mergeTcpSnapshot(
  previous: TcpStackSnapshot | null,
  event: TcpFingerprint,
): TcpStackSnapshot {
  const { repeats, ...latest } = event;
  const ipid = knownClass(
    previous?.ipid_class,
    previous?.ipid_samples,
    event.ipid_class,
    event.ipid_samples,
  );
  const isn = knownClass(
    previous?.isn_class,
    previous?.isn_samples,
    event.isn_class,
    event.isn_samples,
  );
  return {
    ...latest,
    ipid_class: ipid.cls,
    ipid_samples: ipid.samples,
    isn_class: isn.cls,
    isn_samples: isn.samples,
    first_seen: previous?.first_seen ?? event.occurred_at,
    transitions: (previous?.transitions ?? 0) + 1,
    syn_count: (previous?.syn_count ?? 0) + 1 + repeats,
    ...(previous?.probe ? { probe: previous.probe } : {}),
  };
}

function knownClass(
  previousClass: SequenceClass | undefined,
  previousSamples: number | undefined,
  cls: SequenceClass,
  samples: number,
): { cls: SequenceClass; samples: number } {
  if (cls === "unknown" && previousClass !== undefined && previousClass !== "unknown") {
    return { cls: previousClass, samples: previousSamples ?? 0 };
  }
  return { cls, samples };
}
