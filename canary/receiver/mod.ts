/**
 * The attacker-facing canary receiver: the HTTP listener for `/c/<slug>`
 * callbacks, a raw HTTP/1.x responder whose bytes are nginx 1.22's, and the
 * authoritative DNS server for the canary zone, whose answers are NSD's, each
 * with its own pure parser. Lookups and recording go through a
 * {@linkcode TriggerSink}; nothing it sends names the product.
 *
 * @module
 */
export { startCanaryListeners } from "./start_canary_listeners.ts";
export type {
  CanaryListenerConfig,
  CanaryListeners,
  StartCanaryListenersOptions,
} from "./start_canary_listeners.ts";
export type { ActiveToken, TriggerRecord, TriggerSink } from "./trigger_sink.ts";
export { serveCanaryHttp } from "./serve_canary_http.ts";
export type {
  CanaryHttpConfig,
  CanaryHttpServer,
  ServeCanaryHttpOptions,
} from "./serve_canary_http.ts";
export { handleCanaryRequest } from "./http_receiver.ts";
export type { CanaryHttpRequest, HandleCanaryRequestOptions } from "./http_receiver.ts";
export { serveDns } from "./dns_server.ts";
export type { DnsServer, DnsServerConfig, ServeDnsOptions } from "./dns_server.ts";
export { answerDnsQuery, EDNS_PAYLOAD_SIZE } from "./dns_zone.ts";
export { soaSerial } from "./soa_serial.ts";
export type { AnswerDnsQueryOptions, DnsAnswer, DnsHit, DnsZoneConfig } from "./dns_zone.ts";
export {
  DNS_CLASS_IN,
  DNS_RCODE,
  DNS_TYPE,
  dnsNameFromString,
  DnsParseError,
  EDNS_CLIENT_SUBNET,
  EDNS_EXTENDED_ERROR,
  encodeDnsMessage,
  formatDnsName,
  lowerDnsLabel,
  parseClientSubnet,
  parseDnsHeader,
  parseDnsMessage,
} from "./dns_wire.ts";
export type {
  DnsHeader,
  DnsMessage,
  DnsName,
  DnsQuestion,
  DnsRdata,
  DnsRecord,
  Edns,
  EdnsOption,
  EncodeDnsOptions,
} from "./dns_wire.ts";
export { createProxyMatcher, normalizeIp, resolveClientIp } from "./client_ip.ts";
export type { ProxyMatcher } from "./client_ip.ts";
export { RateLimiter } from "./rate_limiter.ts";
export type { RateLimiterConfig } from "./rate_limiter.ts";
export { TriggerDedupe } from "./trigger_dedupe.ts";
export type { TriggerDedupeConfig } from "./trigger_dedupe.ts";
