import type { SequenceClass } from "./tcp_fingerprint.ts";

/** Samples below this count classify as "unknown". */
export const MIN_SEQUENCE_SAMPLES = 4;
/** Largest step (exclusive of 0) that still counts as incremental. */
export const MAX_INCREMENT = 4096;

/** Classifies a run of IP-ID (modulus 2^16) or ISN (modulus 2^32) values. */
export function classifySequence(samples: readonly number[], modulus: number): SequenceClass {
  void samples;
  void modulus;
  return "unknown";
}
