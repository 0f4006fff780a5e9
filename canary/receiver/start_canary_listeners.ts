import type { Config } from "../../core/config/mod.ts";
import type { Logger } from "../../core/log/mod.ts";
import { type DnsServer, serveDns } from "./dns_server.ts";
import type { RateLimiterConfig } from "./rate_limiter.ts";
import { type CanaryHttpServer, serveCanaryHttp } from "./serve_canary_http.ts";
import type { TriggerSink } from "./trigger_sink.ts";

/** The config fields the listeners read. */
export type CanaryListenerConfig = Pick<
  Config,
  | "canaryHttpBind"
  | "canaryHttpPort"
  | "canaryServerHeader"
  | "canaryTrustedProxies"
  | "canaryDnsBind"
  | "canaryDnsPort"
  | "canaryDnsZone"
  | "canaryDnsSinkhole"
  | "canaryDnsNsAddress"
  | "canaryDnsRate"
  | "canaryDnsTtl"
  | "canaryDnsDedupeSeconds"
>;

/** Options for {@linkcode startCanaryListeners}. */
export interface StartCanaryListenersOptions {
  sink: TriggerSink;
  log: Logger;
  /** Per-source DNS rate limit; null turns it off. @default DECNET_CANARY_DNS_RATE per second, burst twice that */
  dnsRateLimit?: RateLimiterConfig | null;
  /** How long slug lookups are reused; 0 when the sink answers from memory. @default 2000 */
  cacheTtlMs?: number;
}

function rateLimit(perSecond: number): RateLimiterConfig | null {
  return perSecond === 0 ? null : { ratePerSecond: perSecond, burst: perSecond * 2 };
}

/** Both running listeners. */
export interface CanaryListeners extends AsyncDisposable {
  http: CanaryHttpServer;
  /** null when DECNET_CANARY_DNS_ZONE is empty (DNS bait off). */
  dns: DnsServer | null;
  /** Stops both and waits for recordings in flight. */
  close(): Promise<void>;
}

/**
 * Starts the canary HTTP listener and, when a zone is configured, the
 * authoritative DNS server (UDP and TCP), logging the ports actually bound.
 *
 * @example
 * ```ts
 * import type { Config } from "../../core/config/config.ts";
 * import type { Logger } from "../../core/log/logger.ts";
 * import type { TriggerSink } from "./trigger_sink.ts";
 * declare const config: Config;
 * declare const log: Logger;
 * declare const sink: TriggerSink;
 * await using listeners = await startCanaryListeners(config, { sink, log });
 * ```
 */
export async function startCanaryListeners(
  config: CanaryListenerConfig,
  options: StartCanaryListenersOptions,
): Promise<CanaryListeners> {
  const { sink, log } = options;
  const http = serveCanaryHttp({
    hostname: config.canaryHttpBind,
    port: config.canaryHttpPort,
    serverHeader: config.canaryServerHeader,
    trustedProxies: config.canaryTrustedProxies,
  }, { sink, log, cacheTtlMs: options.cacheTtlMs });
  log.info("canary http listening", { bind: http.hostname, port: http.port });
  let dns: DnsServer | null = null;
  if (config.canaryDnsZone !== "") {
    try {
      dns = await serveDns({
        hostname: config.canaryDnsBind,
        port: config.canaryDnsPort,
        zone: config.canaryDnsZone,
        sinkhole: config.canaryDnsSinkhole,
        nsAddress: config.canaryDnsNsAddress || config.canaryDnsSinkhole,
        ttl: config.canaryDnsTtl,
        dedupeSeconds: config.canaryDnsDedupeSeconds,
      }, {
        sink,
        log,
        cacheTtlMs: options.cacheTtlMs,
        rateLimit: options.dnsRateLimit === undefined
          ? rateLimit(config.canaryDnsRate)
          : options.dnsRateLimit,
      });
    } catch (e) {
      await http.close();
      throw e;
    }
    log.info("canary dns listening", {
      bind: dns.hostname,
      port: dns.port,
      zone: config.canaryDnsZone,
    });
  } else {
    log.info("canary dns off: DECNET_CANARY_DNS_ZONE is empty");
  }
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      await Promise.all([http.close(), dns?.close()]);
    })();
  return { http, dns, close, [Symbol.asyncDispose]: close };
}
