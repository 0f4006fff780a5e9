import {
  DNS_CLASS_IN,
  DNS_RCODE,
  DNS_TYPE,
  type DnsMessage,
  type DnsName,
  type DnsRecord,
  lowerDnsLabel,
} from "./dns_wire.ts";
import type { ActiveToken } from "./trigger_sink.ts";

/** UDP payload size we advertise in EDNS (the DNS flag day 2020 value). */
export const EDNS_PAYLOAD_SIZE = 1232;

/** SOA timers: plain values a small hosted zone would have. */
const SOA_SERIAL = 2024061501;
const SOA_REFRESH = 7200;
const SOA_RETRY = 3600;
const SOA_EXPIRE = 1209600;

/** The zone the DNS listener answers for. */
export interface DnsZoneConfig {
  /** Zone apex, lower case, no trailing dot ("t.example.net"). */
  zone: string;
  /** IPv4 address answered for bait names. */
  sinkhole: string;
  /** TTL of bait answers, and of the SOA used for negative answers. */
  ttl: number;
}

/** Options for {@linkcode answerDnsQuery}. */
export interface AnswerDnsQueryOptions {
  /** Finds the active token whose lower-cased slug is given. */
  lookup(slugLc: string): Promise<ActiveToken | null>;
}

/** A bait name was asked for: who to record and what was asked. */
export interface DnsHit {
  token: ActiveToken;
  /** The question name exactly as asked. */
  qname: DnsName;
  qtype: number;
  /** Labels left of the slug (data an attacker tool may have packed in). */
  data: DnsName;
}

/** What {@linkcode answerDnsQuery} decided. */
export interface DnsAnswer {
  /** null: send nothing (the packet was itself a response). */
  response: DnsMessage | null;
  hit: DnsHit | null;
}

/**
 * Answers one parsed query as the authoritative server of the zone: A with the
 * sinkhole for `<slug>.<zone>` and names below it, NODATA for other types,
 * NXDOMAIN for unknown names in the zone, REFUSED outside it, SOA and NS at
 * the apex. The question is echoed as received, letter case included.
 *
 * @example
 * ```ts
 * const { response, hit } = await answerDnsQuery(query, zone, { lookup });
 * ```
 */
export async function answerDnsQuery(
  query: DnsMessage,
  zone: DnsZoneConfig,
  options: AnswerDnsQueryOptions,
): Promise<DnsAnswer> {
  const q = query.header;
  if (q.qr) return { response: null, hit: null };
  const response: DnsMessage = {
    header: {
      id: q.id,
      qr: true,
      opcode: q.opcode,
      aa: false,
      tc: false,
      rd: q.rd,
      ra: false,
      z: false,
      ad: false,
      cd: q.cd,
      rcode: DNS_RCODE.NOERROR,
    },
    questions: query.questions.slice(0, 1),
    answers: [],
    authorities: [],
    additionals: [],
    edns: query.edns
      ? {
        udpPayloadSize: EDNS_PAYLOAD_SIZE,
        extendedRcode: 0,
        version: 0,
        dnssecOk: false,
        options: [],
      }
      : null,
  };
  const done = (rcode: number, hit: DnsHit | null = null): DnsAnswer => {
    response.header.rcode = rcode;
    return { response, hit };
  };
  if (q.opcode !== 0) return done(DNS_RCODE.NOTIMP);
  if (query.questions.length !== 1) return done(DNS_RCODE.FORMERR);
  if (query.edns && query.edns.version > 0) {
    // BADVERS (16): extended rcode 1, low bits 0.
    response.edns!.extendedRcode = 1;
    return done(DNS_RCODE.NOERROR);
  }
  const question = query.questions[0];
  const zoneLabels = zone.zone === "" ? [] : zone.zone.split(".");
  const apex = question.name.slice(question.name.length - zoneLabels.length);
  const inZone = zone.zone !== "" && question.name.length >= zoneLabels.length &&
    apex.every((label, i) => lowerDnsLabel(label) === zoneLabels[i]);
  if (!inZone || (question.class !== DNS_CLASS_IN && question.class !== DNS_TYPE.ANY)) {
    return done(DNS_RCODE.REFUSED);
  }
  response.header.aa = true;
  const soa = soaRecord(zoneLabels, zone.ttl);
  if (question.name.length === zoneLabels.length) {
    if (question.type === DNS_TYPE.SOA || question.type === DNS_TYPE.ANY) {
      response.answers.push({ ...soa, name: question.name });
    }
    if (question.type === DNS_TYPE.NS || question.type === DNS_TYPE.ANY) {
      response.answers.push(nsRecord(question.name, zoneLabels, zone.ttl));
    }
    if (response.answers.length === 0) response.authorities.push(soa);
    return done(DNS_RCODE.NOERROR);
  }
  const slugAt = question.name.length - zoneLabels.length - 1;
  const slugLc = lowerDnsLabel(question.name[slugAt]);
  const token = SLUG_REGEXP.test(slugLc) ? await options.lookup(slugLc) : null;
  if (token === null) {
    response.authorities.push(soa);
    return done(DNS_RCODE.NXDOMAIN);
  }
  if (question.type === DNS_TYPE.A || question.type === DNS_TYPE.ANY) {
    response.answers.push({
      name: question.name,
      type: DNS_TYPE.A,
      class: DNS_CLASS_IN,
      ttl: zone.ttl,
      rdata: { kind: "raw", bytes: ipv4Bytes(zone.sinkhole) },
    });
  } else {
    response.authorities.push(soa);
  }
  const hit: DnsHit = {
    token,
    qname: question.name,
    qtype: question.type,
    data: question.name.slice(0, slugAt),
  };
  return done(DNS_RCODE.NOERROR, hit);
}

/** A slug as minted: URL-safe characters only (checked before any lookup). */
const SLUG_REGEXP = /^[a-z0-9_-]{1,63}$/;

function soaRecord(zone: DnsName, ttl: number): DnsRecord {
  return {
    name: zone,
    type: DNS_TYPE.SOA,
    class: DNS_CLASS_IN,
    ttl,
    rdata: {
      kind: "soa",
      mname: ["ns1", ...zone],
      rname: ["hostmaster", ...zone],
      serial: SOA_SERIAL,
      refresh: SOA_REFRESH,
      retry: SOA_RETRY,
      expire: SOA_EXPIRE,
      minimum: ttl,
    },
  };
}

function nsRecord(owner: DnsName, zone: DnsName, ttl: number): DnsRecord {
  return {
    name: owner,
    type: DNS_TYPE.NS,
    class: DNS_CLASS_IN,
    ttl: Math.max(ttl, 3600),
    rdata: { kind: "name", name: ["ns1", ...zone] },
  };
}

function ipv4Bytes(address: string): Uint8Array {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new TypeError(`Cannot answer with sinkhole: expected an IPv4 address, got "${address}"`);
  }
  return new Uint8Array(parts);
}
