import type { Logger } from "../../core/log/mod.ts";
import { type ProxyMatcher, resolveClientIp } from "./client_ip.ts";
import type { NginxStatus } from "../../core/http1/mod.ts";
import type { TokenCache } from "./token_cache.ts";
import type { ActiveToken, TriggerRecord, TriggerSink } from "./trigger_sink.ts";

/** Methods that count as a callback (git, browsers, webhooks). */
const CALLBACK_METHODS = new Set(["GET", "HEAD", "POST"]);
/** Longest slug looked up; a longer one is answered without a lookup. */
const MAX_SLUG = 64;
/** Column widths of canary_triggers. */
const MAX_METHOD = 16;
const MAX_TEXT = 4096;

/** Options for {@linkcode handleCanaryRequest}. */
export interface HandleCanaryRequestOptions {
  sink: TriggerSink;
  proxies: ProxyMatcher;
  /** Address of the TCP peer. */
  peerIp: string;
  log?: Logger;
  /** Clock for occurred_at. @default () => new Date() */
  now?: () => Date;
  /** Reuses recent slug lookups (unknown slugs then cost nothing). */
  cache?: TokenCache;
  /** Stores a trigger. @default sink.recordTrigger */
  record?: (trigger: TriggerRecord) => Promise<void>;
  /** Waits as long as `record` would, storing nothing (unknown slugs). @default sink.settle */
  settle?: () => Promise<void>;
}

/** One parsed request, whatever the transport (see core/http1/http1_request_parser.ts). */
export interface CanaryHttpRequest {
  method: string;
  /** The request target as sent (recorded as the request path). */
  target: string;
  /** The decoded, normalised path locations are matched against. */
  path: string;
  /** Header fields as sent. */
  headers: readonly (readonly [string, string])[];
}

/**
 * Decides the answer to one request as nginx serving `empty_gif` at
 * `/c/<slug>` and `/c/<slug>/...` of every active slug would: GET and HEAD
 * there get the GIF (200), other methods 405; any other path, unknown slugs
 * included, nginx's 404. GET, HEAD and POST on an active slug record a
 * trigger; the answer waits until that trigger is durable in the sink, and an
 * unknown slug waits as long (`settle`), so neither the answer's timing nor
 * anything before it tells whether a slug exists. The transport turns the
 * status into nginx's bytes.
 *
 * @example
 * ```ts
 * import type { TriggerSink } from "./trigger_sink.ts";
 * import { handleCanaryRequest } from "./http_receiver.ts";
 * import { createProxyMatcher } from "./client_ip.ts";
 * declare const sink: TriggerSink;
 * const status = await handleCanaryRequest(
 *   { method: "GET", target: "/c/abc", path: "/c/abc", headers: [["Host", "h"]] },
 *   { sink, proxies: createProxyMatcher([]), peerIp: "192.0.2.9" },
 * );
 * ```
 */
export async function handleCanaryRequest(
  request: CanaryHttpRequest,
  options: HandleCanaryRequestOptions,
): Promise<NginxStatus> {
  const slug = slugOf(request.path);
  if (slug === null || !isSlug(slug)) return 404;
  const cache = options.cache;
  const sink = options.sink;
  // Taken before the lookup as before; without a cache only a recorded trigger needs it.
  let occurredAt = cache ? now(options) : undefined;
  let token: ActiveToken | null;
  try {
    token = cache
      ? await cache.lookup(slug, occurredAt!.getTime(), (s) => sink.findActiveBySlug(s))
      : sink.activeBySlug
      ? sink.activeBySlug(slug)
      : await sink.findActiveBySlug(slug);
  } catch (e) {
    options.log?.error("cannot look up http slug", { error: String(e) });
    token = null;
  }
  const method = request.method;
  if (token === null || !CALLBACK_METHODS.has(method)) {
    await (options.settle ? options.settle() : sink.settle?.());
    return token === null ? 404 : 405;
  }
  occurredAt ??= now(options);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    const lc = name.toLowerCase();
    const joined = headers[lc] === undefined ? value : `${headers[lc]}, ${value}`;
    headers[lc] = joined.slice(0, MAX_TEXT);
  }
  const srcIp = resolveClientIp(
    options.peerIp,
    headers["x-forwarded-for"] ?? null,
    options.proxies,
  );
  const trigger: TriggerRecord = {
    tokenUuid: token.uuid,
    occurredAt,
    srcIp,
    userAgent: headers["user-agent"] ?? null,
    method: method.slice(0, MAX_METHOD),
    requestPath: request.target.slice(0, MAX_TEXT),
    dnsQname: null,
    dnsClientSubnet: null,
    headers,
  };
  try {
    await (options.record ? options.record(trigger) : sink.recordTrigger(trigger));
    options.log?.debug("http trigger", { token: token.uuid, src_ip: srcIp });
  } catch (e) {
    options.log?.error("cannot record http trigger", { error: String(e) });
  }
  return method === "POST" ? 405 : 200;
}

function now(options: HandleCanaryRequestOptions): Date {
  return options.now ? options.now() : new Date();
}

/**
 * The slug of `/c/<slug>` or `/c/<slug>/...` in a decoded path (where '?'
 * and '#' are plain characters, as in nginx's location match), else null.
 */
function slugOf(path: string): string | null {
  if (!path.startsWith("/c/")) return null;
  const end = path.indexOf("/", 3);
  const slug = end < 0 ? path.slice(3) : path.slice(3, end);
  return slug === "" ? null : slug;
}

/**
 * What a minted slug can look like: 1-64 of [A-Za-z0-9_-]; anything else is
 * answered without a lookup (a loop, as this runs for every request).
 */
function isSlug(slug: string): boolean {
  if (slug.length > MAX_SLUG) return false;
  for (let i = 0; i < slug.length; i++) {
    const c = slug.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d;
    if (!ok) return false;
  }
  return true;
}
