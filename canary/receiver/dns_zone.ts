import {
  DNS_CLASS_IN,
  DNS_RCODE,
  DNS_TYPE,
  type DnsMessage,
  type DnsName,
  type DnsRecord,
  EDNS_EXTENDED_ERROR,
  lowerDnsLabel,
} from "./dns_wire.ts";
import type { ActiveToken } from "./trigger_sink.ts";

/** UDP payload size we advertise in EDNS (the DNS flag day 2020 value). */
export const EDNS_PAYLOAD_SIZE = 1232;

/** SOA timers: plain values a small hosted zone would have. */
const SOA_REFRESH = 7200;
const SOA_RETRY = 3600;
const SOA_EXPIRE = 1209600;

/** The zone the DNS listener answers for. */
export interface DnsZoneConfig {
  /** Zone apex, lower case, no trailing dot ("t.example.net"). */
  zone: string;
  /** IPv4 address answered for bait names. */
  sinkhole: string;
  /** IPv4 address of the zone's name server `ns1.<zone>` (its A record and glue). */
  nsAddress: string;
  /** TTL of bait answers, and of the SOA used for negative answers. */
  ttl: number;
  /** SOA serial (see soa_serial.ts). */
  serial: number;
}

/** Options for {@linkcode answerDnsQuery}. */
export interface AnswerDnsQueryOptions {
  /** Finds the active token whose lower-cased slug is given. */
  lookup(slugLc: string): Promise<ActiveToken | null>;
  /** How the query came: zone transfers are NOTIMP over UDP, REFUSED over TCP. @default "udp" */
  transport?: "udp" | "tcp";
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

/** Extended DNS Error codes (RFC 8914) NSD attaches to its refusals. */
const EDE_PROHIBITED = 18;
const EDE_NOT_AUTHORITATIVE = 20;
const EDE_NOT_SUPPORTED = 21;
/** Class CHAOS (version.bind and friends). */
const DNS_CLASS_CH = 3;

/**
 * Answers one parsed query as the authoritative server of the zone, shaped
 * as NSD 4.6 answers (checked against a real NSD in
 * tests/integration/canary_dns_nsd_test.ts): A with the sinkhole for
 * `<slug>.<zone>` and names below it, with the NS in the authority section
 * and the glue of `ns1.<zone>` in the additional one; SOA and NS at the
 * apex; `ns1.<zone>` A; NODATA with the SOA for other types; NXDOMAIN for
 * unknown names in the zone; REFUSED outside it and for zone transfers
 * (AXFR over UDP is NOTIMP). ANY gets one small RRset (RFC 8482): the A of a
 * bait name or of ns1, and at the apex the synthesised HINFO "RFC8482", so
 * the answer stays about as small as the query. The question is echoed as
 * received, letter case included.
 *
 * @example
 * ```ts
 * import { answerDnsQuery } from "./dns_zone.ts";
 * declare const [query, zone, options]: Parameters<typeof answerDnsQuery>;
 * const { response, hit } = await answerDnsQuery(query, zone, { lookup: options.lookup });
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
      // NSD echoes RD but never CD.
      cd: false,
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
        // RFC 3225: the DO bit is copied into the response.
        dnssecOk: query.edns.dnssecOk,
        options: [],
      }
      : null,
  };
  // As NSD: a query with a response code, or records other than OPT beside its question, is
  // malformed (answered with the header alone).
  if (
    q.rcode !== 0 || query.answers.length + query.authorities.length + query.additionals.length > 0
  ) {
    response.questions = [];
    response.edns = null;
    return done(response, DNS_RCODE.FORMERR);
  }
  // As NSD: no question echoed for an opcode it does not serve or a question count other than one.
  if (q.opcode !== 0) {
    response.questions = [];
    return done(response, DNS_RCODE.NOTIMP);
  }
  if (query.questions.length !== 1) {
    response.questions = [];
    response.header.rd = false;
    return done(response, DNS_RCODE.FORMERR);
  }
  if (query.edns && query.edns.version > 0) {
    // BADVERS (16): extended rcode 1, low bits 0.
    response.edns!.extendedRcode = 1;
    return done(response, DNS_RCODE.NOERROR);
  }
  const question = query.questions[0];
  const name = question.name;
  const parts = zoneParts(zone);
  const zoneLabels = parts.labels;
  const depth = name.length - zoneLabels.length;
  // Zone names are written in the letter case of the question, as NSD's compression against
  // the question name makes them: the records made once serve a question that spells the apex
  // as configured (lower case), the usual one.
  let inZone = zone.zone !== "" && depth >= 0;
  let asConfigured = true;
  for (let i = 0; inZone && i < zoneLabels.length; i++) {
    const label = name[depth + i];
    if (label === zoneLabels[i]) continue;
    asConfigured = false;
    inZone = lowerDnsLabel(label) === zoneLabels[i];
  }
  if (question.class !== DNS_CLASS_IN) {
    // NSD says "not supported", and drops the question unless it is of class CHAOS.
    if (question.class !== DNS_CLASS_CH) response.questions = [];
    return refused(response, EDE_NOT_SUPPORTED);
  }
  if (!inZone) return refused(response, EDE_NOT_AUTHORITATIVE);
  const type = question.type;
  if (type === DNS_TYPE.AXFR || type === DNS_TYPE.IXFR) {
    if (type === DNS_TYPE.AXFR && options.transport !== "tcp") {
      return done(response, DNS_RCODE.NOTIMP);
    }
    return refused(response, EDE_PROHIBITED);
  }
  response.header.aa = true;
  const apex = asConfigured ? parts : apexRecords(name.slice(depth), zone);
  if (depth === 0) {
    if (type === DNS_TYPE.SOA) {
      response.answers.push({ ...apex.soa, name });
      response.authorities.push(apex.ns);
      response.additionals.push(apex.glue);
    } else if (type === DNS_TYPE.NS) {
      response.answers.push({ ...apex.ns, name });
      response.additionals.push(apex.glue);
    } else if (type === DNS_TYPE.ANY) {
      response.answers.push(rfc8482Hinfo(name, zone.ttl));
    } else {
      response.authorities.push(apex.soa);
    }
    return done(response, DNS_RCODE.NOERROR);
  }
  if (depth === 1 && lowerDnsLabel(name[0]) === "ns1") {
    if (type === DNS_TYPE.A || type === DNS_TYPE.ANY) {
      response.answers.push(aRecord(name, zone.nsAddress, zone.ttl));
      if (type === DNS_TYPE.A) response.authorities.push(apex.ns);
    } else {
      response.authorities.push(apex.soa);
    }
    return done(response, DNS_RCODE.NOERROR);
  }
  const slugAt = depth - 1;
  const slugLc = lowerDnsLabel(name[slugAt]);
  const token = isSlug(slugLc) ? await options.lookup(slugLc) : null;
  if (token === null) {
    response.authorities.push(apex.soa);
    return done(response, DNS_RCODE.NXDOMAIN);
  }
  if (type === DNS_TYPE.A || type === DNS_TYPE.ANY) {
    response.answers.push(aRecord(name, zone.sinkhole, zone.ttl));
    if (type === DNS_TYPE.A) {
      response.authorities.push(apex.ns);
      response.additionals.push(apex.glue);
    }
  } else {
    response.authorities.push(apex.soa);
  }
  const hit: DnsHit = { token, qname: name, qtype: type, data: name.slice(0, slugAt) };
  return done(response, DNS_RCODE.NOERROR, hit);
}

function done(response: DnsMessage, rcode: number, hit: DnsHit | null = null): DnsAnswer {
  response.header.rcode = rcode;
  return { response, hit };
}

function refused(response: DnsMessage, ede: number): DnsAnswer {
  response.edns?.options.push({ code: EDNS_EXTENDED_ERROR, data: Uint8Array.of(0, ede) });
  return done(response, DNS_RCODE.REFUSED);
}

/**
 * A slug as minted: 1-63 of [a-z0-9_-] (checked before any lookup; a loop,
 * as this runs for every query).
 */
function isSlug(label: string): boolean {
  if (label.length === 0 || label.length > 63) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d)) {
      return false;
    }
  }
  return true;
}

/** The apex's SOA, NS and the name server's glue A, as one spelling of the apex writes them. */
interface ApexRecords {
  soa: DnsRecord;
  ns: DnsRecord;
  glue: DnsRecord;
}

/** A zone's labels and its records for the apex spelled as configured: made once per zone. */
interface ZoneParts extends ApexRecords {
  /** The config they were made from, field by field (a changed field makes them again). */
  made: DnsZoneConfig;
  labels: readonly string[];
}

const zonePartsMade = new WeakMap<DnsZoneConfig, ZoneParts>();

function zoneParts(zone: DnsZoneConfig): ZoneParts {
  let parts = zonePartsMade.get(zone);
  const made = parts?.made;
  if (
    parts === undefined || made!.zone !== zone.zone || made!.sinkhole !== zone.sinkhole ||
    made!.nsAddress !== zone.nsAddress || made!.ttl !== zone.ttl || made!.serial !== zone.serial
  ) {
    const labels = zone.zone === "" ? [] : zone.zone.split(".");
    parts = { made: { ...zone }, labels, ...apexRecords(labels, zone) };
    zonePartsMade.set(zone, parts);
  }
  return parts;
}

function apexRecords(apex: DnsName, zone: DnsZoneConfig): ApexRecords {
  const nsName = ["ns1", ...apex];
  return {
    soa: soaRecord(apex, zone),
    ns: nsRecord(apex, nsName, zone.ttl),
    glue: aRecord(nsName, zone.nsAddress, zone.ttl),
  };
}

function soaRecord(zone: DnsName, config: DnsZoneConfig): DnsRecord {
  return {
    name: zone,
    type: DNS_TYPE.SOA,
    class: DNS_CLASS_IN,
    ttl: config.ttl,
    rdata: {
      kind: "soa",
      mname: ["ns1", ...zone],
      rname: ["hostmaster", ...zone],
      serial: config.serial,
      refresh: SOA_REFRESH,
      retry: SOA_RETRY,
      expire: SOA_EXPIRE,
      minimum: config.ttl,
    },
  };
}

function nsRecord(owner: DnsName, target: DnsName, ttl: number): DnsRecord {
  return {
    name: owner,
    type: DNS_TYPE.NS,
    class: DNS_CLASS_IN,
    ttl: Math.max(ttl, 3600),
    rdata: { kind: "name", name: target },
  };
}

function aRecord(owner: DnsName, address: string, ttl: number): DnsRecord {
  return {
    name: owner,
    type: DNS_TYPE.A,
    class: DNS_CLASS_IN,
    ttl,
    rdata: { kind: "raw", bytes: ipv4Bytes(address) },
  };
}

/** RFC 8482 section 4.2: one synthesised HINFO instead of every RRset. */
function rfc8482Hinfo(owner: DnsName, ttl: number): DnsRecord {
  const cpu = "RFC8482";
  const bytes = new Uint8Array(cpu.length + 2);
  bytes[0] = cpu.length;
  for (let i = 0; i < cpu.length; i++) bytes[i + 1] = cpu.charCodeAt(i);
  // The OS string stays empty: its length byte is the last 0.
  return {
    name: owner,
    type: DNS_TYPE.HINFO,
    class: DNS_CLASS_IN,
    ttl,
    rdata: { kind: "raw", bytes },
  };
}

/** Addresses answered so far (the configured sinkhole and name server): parsed once. */
const ipv4Parsed = new Map<string, Uint8Array>();

function ipv4Bytes(address: string): Uint8Array {
  let bytes = ipv4Parsed.get(address);
  if (bytes === undefined) {
    bytes = parseIpv4(address);
    // Configured addresses only, so this stays small; a bound keeps it so whatever the caller.
    if (ipv4Parsed.size >= 64) ipv4Parsed.clear();
    ipv4Parsed.set(address, bytes);
  }
  return bytes;
}

function parseIpv4(address: string): Uint8Array {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new TypeError(`Cannot answer with address: expected an IPv4 address, got "${address}"`);
  }
  return new Uint8Array(parts);
}
