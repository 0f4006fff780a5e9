import {
  DNS_CLASS_IN,
  DNS_TYPE,
  type DnsMessage,
  dnsNameFromString,
  type EdnsOption,
} from "../../../canary/receiver/mod.ts";

/** Options for {@linkcode makeQuery}. */
export interface MakeQueryOptions {
  type?: number;
  id?: number;
  /** EDNS payload size; omit for a query without OPT. */
  edns?: number;
  ednsOptions?: EdnsOption[];
}

/** A standard recursive-desired query for one name. */
export function makeQuery(name: string, options: MakeQueryOptions = {}): DnsMessage {
  return {
    header: {
      id: options.id ?? 0x1234,
      qr: false,
      opcode: 0,
      aa: false,
      tc: false,
      rd: true,
      ra: false,
      z: false,
      ad: false,
      cd: false,
      rcode: 0,
    },
    questions: [{
      name: dnsNameFromString(name),
      type: options.type ?? DNS_TYPE.A,
      class: DNS_CLASS_IN,
    }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: options.edns === undefined ? null : {
      udpPayloadSize: options.edns,
      extendedRcode: 0,
      version: 0,
      dnssecOk: false,
      options: options.ednsOptions ?? [],
    },
  };
}

/** A small deterministic PRNG (mulberry32) for fuzzing. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
