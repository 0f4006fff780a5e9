import type { SequenceClass } from "./tcp_fingerprint.ts";

/** Samples below this count classify as "unknown". */
export const MIN_SEQUENCE_SAMPLES = 4;
/** Largest forward step (steps must also be above 0) that still counts as incremental. */
export const MAX_INCREMENT = 4096;
/** Modulus of IPv4 IP-ID values. */
export const IP_ID_MODULUS = 2 ** 16;
/** Modulus of TCP sequence numbers. */
export const ISN_MODULUS = 2 ** 32;

/**
 * Classifies a source's recent IP-ID or ISN values, oldest first: fewer than
 * 4 samples "unknown"; all zero "zero"; all equal "constant"; every step
 * forward by 1-4096 (modulo `modulus`, so a counter may wrap) "incremental";
 * anything else "random". Hand-rolled raw-socket tools show up as zero,
 * constant or incremental where modern stacks are random.
 *
 * @param samples the values in the order they were seen
 * @param modulus 2^16 for IP-ID, 2^32 for ISN
 * @returns the class
 * @example
 * ```ts
 * classifySequence([65534, 65535, 0, 1], IP_ID_MODULUS); // "incremental"
 * ```
 */
export function classifySequence(samples: readonly number[], modulus: number): SequenceClass {
  if (samples.length < MIN_SEQUENCE_SAMPLES) return "unknown";
  if (samples.every((value) => value === 0)) return "zero";
  if (samples.every((value) => value === samples[0])) return "constant";
  for (let i = 1; i < samples.length; i++) {
    const step = (((samples[i] - samples[i - 1]) % modulus) + modulus) % modulus;
    if (step === 0 || step > MAX_INCREMENT) return "random";
  }
  return "incremental";
}
