import { classifySequence, IP_ID_MODULUS, ISN_MODULUS } from "./classify_sequence.ts";
import { guessOs } from "./guess_os.ts";
import type { SynPacket } from "./syn_packet.ts";
import type { SequenceClass, TcpFingerprint } from "./tcp_fingerprint.ts";
import { tosFields } from "./tos_fields.ts";
import { hopDistance, initialTtl } from "./ttl_hops.ts";

/** Sources remembered at once by default (about 0.5 KiB each: 34 MiB at the cap, tests/bench). */
export const DEFAULT_MAX_SOURCES = 65_536;
/** SYNs per source the sequence classes look at. */
export const SEQUENCE_WINDOW = 8;

/** Settings of a {@linkcode SynTracker}. */
export interface SynTrackerOptions {
  /** Most sources remembered at once; the least recently seen goes first. @default 65536 */
  maxSources?: number;
  /** SYNs per source the sequence classes look at. @default 8 */
  sequenceWindow?: number;
}

interface SourceState {
  ipIds: number[];
  isns: number[];
  /** Dedupe key of the last event (null before the first), kept as fields: no string per SYN. */
  osGuess: string | null;
  options: string;
  dscp: number;
  ipidClass: SequenceClass;
  isnClass: SequenceClass;
  /** SYNs with that key since the last event. */
  repeats: number;
}

/**
 * Per-source rolling state that turns SYNs into fingerprints: the last 8
 * IP-IDs and ISNs of each source give its sequence classes, and an event is
 * emitted only when the source's key (os_guess, options, dscp, ipid_class,
 * isn_class) changes; SYNs that leave it unchanged are counted and the count
 * rides on the next event. Memory is bounded: past `maxSources` the least
 * recently seen source is forgotten (and would start afresh).
 *
 * @example
 * ```ts
 * import type { SynPacket } from "./syn_packet.ts";
 * declare const syn: SynPacket;
 * const tracker = new SynTracker({ maxSources: 10_000 });
 * const event = tracker.observe(syn, new Date());
 * if (event) console.info(event.os_guess, event.ipid_class, event.repeats);
 * ```
 */
export class SynTracker {
  readonly #maxSources: number;
  readonly #window: number;
  /** Map order is recency order: a seen source is moved to the end. */
  readonly #sources = new Map<string, SourceState>();

  /**
   * @param options limits
   * @throws {RangeError} when maxSources or sequenceWindow is not a positive integer
   */
  constructor(options: SynTrackerOptions = {}) {
    this.#maxSources = positiveInteger("maxSources", options.maxSources ?? DEFAULT_MAX_SOURCES);
    this.#window = positiveInteger(
      "sequenceWindow",
      options.sequenceWindow ?? SEQUENCE_WINDOW,
    );
  }

  /**
   * Records one SYN.
   *
   * @param packet the decoded SYN
   * @param now when it was captured
   * @returns the new fingerprint when the source's key changed, else null
   */
  observe(packet: SynPacket, now: Date): TcpFingerprint | null {
    const state = this.#touch(packet.srcIp);
    // IPv6 has no IP-ID in an unfragmented SYN: its samples would read as "zero".
    if (packet.ipVersion === 4) pushBounded(state.ipIds, packet.ipId, this.#window);
    pushBounded(state.isns, packet.isn, this.#window);
    const ipidClass = classifySequence(state.ipIds, IP_ID_MODULUS);
    const isnClass = classifySequence(state.isns, ISN_MODULUS);
    const osGuess = guessOs(packet);
    const options = packet.options.signature;
    const dscp = (packet.tos >> 2) & 63;
    if (
      osGuess === state.osGuess && options === state.options && dscp === state.dscp &&
      ipidClass === state.ipidClass && isnClass === state.isnClass
    ) {
      state.repeats++;
      return null;
    }
    const repeats = state.repeats;
    Object.assign(state, { osGuess, options, dscp, ipidClass, isnClass, repeats: 0 });
    return {
      src_ip: packet.srcIp,
      decky: packet.dstIp,
      dst_port: packet.dstPort,
      ttl: packet.ttl,
      initial_ttl: initialTtl(packet.ttl),
      hop_distance: hopDistance(packet.ttl),
      window: packet.window,
      mss: packet.options.mss,
      wscale: packet.options.wscale,
      options,
      has_sack: packet.options.sackPermitted,
      has_timestamps: packet.options.timestamps,
      ...tosFields(packet.tos),
      os_guess: osGuess,
      ipid_class: ipidClass,
      ipid_samples: state.ipIds.length,
      isn_class: isnClass,
      isn_samples: state.isns.length,
      repeats,
      occurred_at: now.toISOString(),
    };
  }

  /**
   * SYNs of a source that repeated its current key since its last event.
   *
   * @param srcIp the source address
   * @returns the count, 0 for a source not tracked
   */
  pendingRepeats(srcIp: string): number {
    return this.#sources.get(srcIp)?.repeats ?? 0;
  }

  /** How many sources are tracked now (never above maxSources). */
  get size(): number {
    return this.#sources.size;
  }

  #touch(srcIp: string): SourceState {
    let state = this.#sources.get(srcIp);
    if (state) {
      this.#sources.delete(srcIp);
    } else {
      state = {
        ipIds: [],
        isns: [],
        osGuess: null,
        options: "",
        dscp: 0,
        ipidClass: "unknown",
        isnClass: "unknown",
        repeats: 0,
      };
      if (this.#sources.size >= this.#maxSources) {
        const oldest = this.#sources.keys().next().value as string;
        this.#sources.delete(oldest);
      }
    }
    this.#sources.set(srcIp, state);
    return state;
  }
}

function pushBounded(values: number[], value: number, limit: number): void {
  values.push(value);
  if (values.length > limit) values.shift();
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot create SynTracker: ${field} must be a positive integer, got ${value}`,
    );
  }
  return value;
}
