import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import type { Logger } from "../../core/log/mod.ts";
import {
  DNS_RCODE,
  type DnsMessage,
  DnsParseError,
  encodeDnsMessage,
  formatDnsName,
  parseClientSubnet,
  parseDnsMessage,
} from "./dns_wire.ts";
import {
  answerDnsQuery,
  type DnsAnswer,
  type DnsHit,
  type DnsZoneConfig,
  EDNS_PAYLOAD_SIZE,
} from "./dns_zone.ts";
import { soaSerial } from "./soa_serial.ts";
import { normalizeIp } from "./client_ip.ts";
import { RateLimiter, type RateLimiterConfig } from "./rate_limiter.ts";
import { TokenCache } from "./token_cache.ts";
import { TriggerBatcher } from "./trigger_batcher.ts";
import { TriggerDedupe } from "./trigger_dedupe.ts";
import { SettleGroups } from "./settle_groups.ts";
import type { TriggerRecord, TriggerSink } from "./trigger_sink.ts";

/** Settings of the DNS listener. */
export interface DnsServerConfig extends Omit<DnsZoneConfig, "nsAddress" | "serial"> {
  /** Address of `ns1.<zone>`. @default the sinkhole */
  nsAddress?: string;
  /** SOA serial. @default soaSerial(zone, now) */
  serial?: number;
  /** Bind address for UDP and TCP. @default "0.0.0.0" */
  hostname?: string;
  /** Port for UDP and TCP; 0 picks one free for both. @default 5353 */
  port?: number;
  /** One trigger per (token, resolver, name) within this many seconds. @default 60 */
  dedupeSeconds?: number;
}

/** Options for {@linkcode serveDns}. */
export interface ServeDnsOptions {
  sink: TriggerSink;
  log: Logger;
  /** Per-source rate limit of UDP queries; null turns it off. @default 200/s, burst 400 */
  rateLimit?: RateLimiterConfig | null;
  /**
   * Every this-many-th query over the rate gets an empty truncated answer
   * (TC=1) instead of silence, so a real resolver behind a busy source
   * retries over TCP (BIND's RRL "slip"); 0 drops them all. @default 2
   */
  slip?: number;
  /** TCP connections served at once. @default 256 */
  maxTcpConnections?: number;
  /** A TCP connection idle this long is closed. @default 10000 */
  tcpIdleMs?: number;
  /** How long slug lookups are reused; 0 turns the cache off. @default 2000 */
  cacheTtlMs?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** A running DNS listener. */
export interface DnsServer extends AsyncDisposable {
  readonly hostname: string;
  /** The port bound for both UDP and TCP. */
  readonly port: number;
  /** Stops both transports and waits for the answers in flight. */
  close(): Promise<void>;
}

/** Bytes read of one UDP query; a longer datagram is cut there (and so malformed). */
export const UDP_QUERY_BUFFER = 4096;

/** Largest UDP answer without EDNS (RFC 1035). */
const CLASSIC_UDP_SIZE = 512;

/**
 * Starts the authoritative DNS server for the canary zone on UDP
 * (`node:dgram`) and TCP (`Deno.listen`, length-prefixed), on one port.
 * Malformed packets get FORMERR when their header is readable and nothing
 * otherwise. UDP sources over their rate get a share of empty truncated
 * answers (the rest is dropped); TCP is bounded by its connection cap instead.
 *
 * @throws {Deno.errors.AddrInUse} when the port is taken
 * @example
 * ```ts
 * import type { Logger } from "../../core/log/logger.ts";
 * import type { TriggerSink } from "./trigger_sink.ts";
 * declare const log: Logger;
 * declare const sink: TriggerSink;
 * await using dns = await serveDns({ zone: "t.example.net", sinkhole: "192.0.2.1", ttl: 60, port: 0 }, { sink, log });
 * ```
 */
export async function serveDns(
  config: DnsServerConfig,
  options: ServeDnsOptions,
): Promise<DnsServer> {
  const hostname = config.hostname ?? "0.0.0.0";
  const now = options.now ?? Date.now;
  const log = options.log;
  const limiter = options.rateLimit === null ? null : new RateLimiter(options.rateLimit ?? {});
  const dedupe = new TriggerDedupe({ windowSeconds: config.dedupeSeconds ?? 60 });
  const zone: DnsZoneConfig = {
    zone: config.zone,
    sinkhole: config.sinkhole,
    nsAddress: config.nsAddress ?? config.sinkhole,
    ttl: config.ttl,
    serial: config.serial ?? soaSerial(config.zone, new Date(now())),
  };
  const slip = options.slip ?? 2;
  let limited = 0;
  const fetch = (slugLc: string) => options.sink.findActiveBySlugLc(slugLc);
  // Off (0) when the sink answers from memory: then every lookup goes straight to it.
  const cache = options.cacheTtlMs === 0 ? null : new TokenCache({ ttlMs: options.cacheTtlMs });
  const lookup = cache ? (slugLc: string) => cache.lookup(slugLc, now(), fetch) : fetch;
  const batcher = new TriggerBatcher(options.sink);
  const answerOptions = {
    udp: { lookup, transport: "udp" as const },
    tcp: { lookup, transport: "tcp" as const },
  };

  /** The trigger a hit records, or null when the same one was recorded within the window. */
  const triggerOf = (
    hit: DnsHit,
    query: DnsMessage,
    srcIp: string,
    transport: string,
  ): TriggerRecord | null => {
    const qname = formatDnsName(hit.qname);
    const at = now();
    if (!dedupe.shouldRecord(`${hit.token.uuid}|${srcIp}|${qname.toLowerCase()}`, at)) return null;
    let clientSubnet: string | null = null;
    for (const option of query.edns?.options ?? []) clientSubnet ??= parseClientSubnet(option);
    const headers: Record<string, string> = { qtype: String(hit.qtype), transport };
    if (hit.data.length > 0) headers.data = formatDnsName(hit.data);
    return {
      tokenUuid: hit.token.uuid,
      occurredAt: new Date(at),
      srcIp,
      userAgent: null,
      method: null,
      requestPath: null,
      dnsQname: qname,
      dnsClientSubnet: clientSubnet,
      headers,
    };
  };

  /** Records a trigger; resolves once it is durable, or once its failure is logged. */
  const record = async (trigger: TriggerRecord): Promise<void> => {
    try {
      await batcher.record(trigger);
      log.debug("dns trigger", {
        token: trigger.tokenUuid,
        src_ip: trigger.srcIp,
        qname: trigger.dnsQname,
      });
    } catch (e) {
      log.error("cannot record dns trigger", { error: String(e) });
    }
  };

  /**
   * The answer to one packet and what it waits for, or null to stay silent.
   * The answer is encoded before the wait, so what waits is its bytes alone.
   */
  const prepare = async (
    packet: Uint8Array,
    srcIp: string,
    transport: "udp" | "tcp",
  ): Promise<Prepared | null> => {
    const overRate = transport === "udp" && limiter !== null && !limiter.allow(srcIp, now());
    if (overRate && (slip === 0 || ++limited % slip !== 0)) return null;
    let query: DnsMessage;
    try {
      query = parseDnsMessage(packet);
    } catch (e) {
      if (!(e instanceof DnsParseError)) throw e;
      log.debug("malformed dns packet", { src_ip: srcIp, error: e.message });
      if (overRate || e.header === null || e.header.qr) return null;
      const bytes = encodeDnsMessage(
        // As NSD: an opcode other than QUERY is NOTIMP before the rest is read, and RD is kept
        // only when the packet claims exactly one question.
        bareResponse(
          query0(e.header.id, e.header.opcode, e.header.rd && packet[4] === 0 && packet[5] === 1),
          e.header.opcode === 0 ? DNS_RCODE.FORMERR : DNS_RCODE.NOTIMP,
        ),
      );
      return { bytes, wait: null };
    }
    if (overRate) {
      if (query.header.qr) return null;
      const truncated = bareResponse(query, DNS_RCODE.NOERROR);
      truncated.header.tc = true;
      return { bytes: encodeDnsMessage(truncated), wait: null };
    }
    let answer: DnsAnswer;
    try {
      answer = await answerDnsQuery(query, zone, answerOptions[transport]);
    } catch (e) {
      log.error("cannot answer dns query", { error: String(e) });
      return query.header.qr ? null : { bytes: servfail(query), wait: null };
    }
    if (answer.response === null) return null;
    const maxSize = transport === "tcp"
      ? 65535
      : query.edns
      ? Math.max(CLASSIC_UDP_SIZE, Math.min(query.edns.udpPayloadSize, EDNS_PAYLOAD_SIZE))
      : CLASSIC_UDP_SIZE;
    const bytes = encodeDnsMessage(answer.response, { maxSize });
    // Every answer waits for a journal commit, a hit's own or the next one, so timing does not
    // tell bait names from others (a repeat of a name being recorded waits for a commit too).
    const trigger = answer.hit ? triggerOf(answer.hit, query, srcIp, transport) : null;
    return { bytes, wait: trigger ?? "commit" };
  };

  /** TCP: one query at a time per connection, each waiting on its own. */
  const respondTcp = async (packet: Uint8Array, srcIp: string): Promise<Uint8Array | null> => {
    const prepared = await prepare(packet, srcIp, "tcp");
    if (prepared === null || prepared.wait === null) return prepared?.bytes ?? null;
    if (prepared.wait !== "commit") {
      await record(prepared.wait);
      return prepared.bytes;
    }
    try {
      await batcher.settle();
      return prepared.bytes;
    } catch (e) {
      log.error("cannot answer dns query", { error: String(e) });
      return servfail(parseDnsMessage(packet));
    }
  };

  const { socket, listener } = await bindBoth(hostname, config.port ?? 5353);
  const port = (listener.addr as Deno.NetAddr).port;

  // UDP answers read and not yet sent (waiting for a commit); beyond the cap, queries are dropped.
  let answering = 0;
  const maxAnswering = 4096;
  let drained: (() => void) | null = null;
  const sendUdp = (bytes: Uint8Array, to: dgram.RemoteInfo) => {
    try {
      socket.send(bytes, to.port, to.address);
    } catch (e) {
      log.error("dns udp handler failed", { error: String(e) });
    }
  };
  const answered = (n: number) => {
    answering -= n;
    if (answering === 0) drained?.();
  };
  // Answers waiting for the next commit share one settle and are sent together.
  const waitingUdp = new SettleGroups<UdpAnswer>(() => batcher.settle(), (answers, error) => {
    if (error !== null) log.error("cannot answer dns query", { error: String(error) });
    for (const a of answers) {
      sendUdp(error === null ? a.bytes : servfail(parseDnsMessage(a.packet)), a.to);
    }
    answered(answers.length);
  });
  const answerUdp = async (msg: Uint8Array, rinfo: dgram.RemoteInfo): Promise<void> => {
    let prepared: Prepared | null = null;
    try {
      prepared = await prepare(msg, normalizeIp(rinfo.address), "udp");
    } catch (e) {
      log.error("dns udp handler failed", { error: String(e) });
    }
    if (prepared === null) return answered(1);
    const wait = prepared.wait;
    if (wait === null) {
      sendUdp(prepared.bytes, rinfo);
      answered(1);
    } else if (wait === "commit") {
      waitingUdp.add({ bytes: prepared.bytes, to: rinfo, packet: msg });
    } else {
      await record(wait);
      sendUdp(prepared.bytes, rinfo);
      answered(1);
    }
  };
  socket.on("message", (msg: Uint8Array, rinfo: dgram.RemoteInfo) => {
    if (answering >= maxAnswering) return;
    answering++;
    void answerUdp(msg, rinfo);
  });
  socket.on("error", (e: Error) => log.warn("dns udp socket error", { error: String(e) }));

  const connections = new Set<Deno.Conn>();
  const handlers = new Set<Promise<void>>();
  const maxConns = options.maxTcpConnections ?? 256;
  const idleMs = options.tcpIdleMs ?? 10_000;
  const acceptLoop = (async () => {
    try {
      for await (const conn of listener) {
        if (connections.size >= maxConns) {
          conn.close();
          continue;
        }
        connections.add(conn);
        const h: Promise<void> = serveTcpConnection(conn, respondTcp, idleMs)
          .catch((e) => log.debug("dns tcp connection ended", { error: String(e) }))
          .finally(() => {
            connections.delete(conn);
            handlers.delete(h);
            try {
              conn.close();
            } catch {
              // already closed by the idle timer or close()
            }
          });
        handlers.add(h);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) {
        log.error("dns tcp accept failed", { error: String(e) });
      }
    }
  })();

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      listener.close();
      await acceptLoop;
      for (const conn of connections) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      await Promise.all(handlers);
      if (answering > 0) await new Promise<void>((resolve) => drained = resolve);
      await waitingUdp.idle();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    })();
  return { hostname, port, close, [Symbol.asyncDispose]: close };
}

/** An encoded answer and what it waits for before it is sent. */
interface Prepared {
  bytes: Uint8Array;
  /** null: nothing (malformed, over the rate); "commit": the next one; a trigger: its own. */
  wait: null | "commit" | TriggerRecord;
}

/** A UDP answer waiting for a commit: its bytes, where they go, and the query (for SERVFAIL). */
interface UdpAnswer {
  bytes: Uint8Array;
  to: dgram.RemoteInfo;
  packet: Uint8Array;
}

/** SERVFAIL: the answer could not be made, or not made durable. */
function servfail(query: DnsMessage): Uint8Array {
  return encodeDnsMessage(bareResponse(query, DNS_RCODE.SERVFAIL));
}

function query0(id: number, opcode: number, rd: boolean): DnsMessage {
  return {
    header: {
      id,
      qr: false,
      opcode,
      aa: false,
      tc: false,
      rd,
      ra: false,
      z: false,
      ad: false,
      cd: false,
      rcode: 0,
    },
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
    edns: null,
  };
}

function bareResponse(query: DnsMessage, rcode: number): DnsMessage {
  return {
    header: {
      ...query.header,
      qr: true,
      aa: false,
      tc: false,
      ra: false,
      z: false,
      ad: false,
      rcode,
    },
    questions: query.questions.slice(0, 1),
    answers: [],
    authorities: [],
    additionals: [],
    edns: null,
  };
}

async function serveTcpConnection(
  conn: Deno.Conn,
  respond: (packet: Uint8Array, srcIp: string) => Promise<Uint8Array | null>,
  idleMs: number,
): Promise<void> {
  const srcIp = normalizeIp((conn.remoteAddr as Deno.NetAddr).hostname);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }, idleMs);
  };
  try {
    for (;;) {
      arm();
      const prefix = await readExact(conn, 2);
      if (prefix === null) return;
      const length = (prefix[0] << 8) | prefix[1];
      const packet = await readExact(conn, length);
      if (packet === null) return;
      const out = await respond(packet, srcIp);
      if (out === null) continue;
      const framed = new Uint8Array(out.length + 2);
      framed[0] = out.length >> 8;
      framed[1] = out.length & 0xff;
      framed.set(out, 2);
      let written = 0;
      while (written < framed.length) written += await conn.write(framed.subarray(written));
    }
  } finally {
    clearTimeout(timer);
  }
}

async function readExact(conn: Deno.Conn, n: number): Promise<Uint8Array | null> {
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(buf.subarray(got));
    if (r === null) return null;
    got += r;
  }
  return buf;
}

/** Binds UDP and TCP on the same port (retrying when port 0 lands on a TCP-busy port). */
async function bindBoth(
  hostname: string,
  port: number,
): Promise<{ socket: dgram.Socket; listener: Deno.Listener }> {
  for (let attempt = 0;; attempt++) {
    const socket = dgram.createSocket({ type: isIPv6(hostname) ? "udp6" : "udp4" });
    await new Promise<void>((resolve, reject) => {
      socket.once("error", (e) => {
        socket.close();
        reject(e);
      });
      socket.bind(port, hostname, () => {
        socket.removeAllListeners("error");
        // Deno's node:dgram reads every datagram into a fresh zero-filled buffer of twice this
        // (64 KiB by default: zeroing it cost a third of a query's CPU); it sets no socket
        // option. A query is a question and an OPT record, a few hundred bytes.
        socket.setRecvBufferSize(UDP_QUERY_BUFFER / 2);
        resolve();
      });
    });
    const udpPort = socket.address().port;
    try {
      const listener = Deno.listen({ hostname, port: udpPort, transport: "tcp" });
      return { socket, listener };
    } catch (e) {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      if (port !== 0 || attempt >= 10 || !(e instanceof Deno.errors.AddrInUse)) throw e;
    }
  }
}
