import type { Logger } from "../../core/log/mod.ts";
import { createProxyMatcher } from "./client_ip.ts";
import { handleCanaryRequest } from "./http_receiver.ts";
import { TokenCache } from "./token_cache.ts";
import { TriggerBatcher } from "./trigger_batcher.ts";
import type { TriggerSink } from "./trigger_sink.ts";

/** Settings of the canary HTTP listener. */
export interface CanaryHttpConfig {
  /** Bind address. @default "0.0.0.0" */
  hostname?: string;
  /** Port; 0 picks a free one. @default 8088 */
  port?: number;
  /** Server header. @default "nginx" */
  serverHeader?: string;
  /** CIDR blocks whose X-Forwarded-For is believed. @default [] */
  trustedProxies?: readonly string[];
}

/** Options for {@linkcode serveCanaryHttp}. */
export interface ServeCanaryHttpOptions {
  sink: TriggerSink;
  log: Logger;
  /** How long slug lookups are reused; 0 turns the cache off. @default 2000 */
  cacheTtlMs?: number;
  now?: () => Date;
}

/** A running canary HTTP listener. */
export interface CanaryHttpServer extends AsyncDisposable {
  readonly hostname: string;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops listening and waits for the requests in flight. */
  close(): Promise<void>;
}

/**
 * Starts the attacker-facing HTTP listener on `Deno.serve`. A callback is
 * answered once its trigger is durable in the sink, an unknown slug after
 * the same wait, so the response does not depend on the slug, timing
 * included.
 *
 * @example
 * ```ts
 * await using http = serveCanaryHttp({ port: 0 }, { sink, log });
 * console.log(http.port);
 * ```
 */
export function serveCanaryHttp(
  config: CanaryHttpConfig,
  options: ServeCanaryHttpOptions,
): CanaryHttpServer {
  const serverHeader = config.serverHeader ?? "nginx";
  const proxies = createProxyMatcher(config.trustedProxies ?? []);
  const cache = new TokenCache({ ttlMs: options.cacheTtlMs });
  const batcher = new TriggerBatcher(options.sink);
  const record = batcher.record.bind(batcher);
  const settle = batcher.settle.bind(batcher);
  const abort = new AbortController();
  const server = Deno.serve({
    hostname: config.hostname ?? "0.0.0.0",
    port: config.port ?? 8088,
    signal: abort.signal,
    onListen: () => {},
    onError: () => new Response(null, { status: 500, headers: { server: serverHeader } }),
  }, (request, info) =>
    handleCanaryRequest(request, {
      sink: options.sink,
      serverHeader,
      proxies,
      peerIp: info.remoteAddr.hostname,
      log: options.log,
      now: options.now,
      cache,
      record,
      settle,
    }));
  const addr = server.addr;
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      abort.abort();
      await server.finished;
    })();
  return {
    hostname: addr.hostname,
    port: addr.port,
    close,
    [Symbol.asyncDispose]: close,
  };
}
