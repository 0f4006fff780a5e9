import type { Logger } from "../../core/log/mod.ts";
import { type ProxyMatcher, resolveClientIp } from "./client_ip.ts";
import type { TokenCache } from "./token_cache.ts";
import type { TriggerRecord, TriggerSink } from "./trigger_sink.ts";

/** The 43-byte transparent 1x1 GIF every callback gets. */
export const TRANSPARENT_GIF: Uint8Array<ArrayBuffer> = Uint8Array.from([
  0x47,
  0x49,
  0x46,
  0x38,
  0x39,
  0x61,
  0x01,
  0x00,
  0x01,
  0x00,
  0x80,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0xff,
  0xff,
  0xff,
  0x21,
  0xf9,
  0x04,
  0x01,
  0x00,
  0x00,
  0x00,
  0x00,
  0x2c,
  0x00,
  0x00,
  0x00,
  0x00,
  0x01,
  0x00,
  0x01,
  0x00,
  0x00,
  0x02,
  0x02,
  0x44,
  0x01,
  0x00,
  0x3b,
]);

/** Methods that count as a callback (git, browsers, webhooks). */
const CALLBACK_METHODS = new Set(["GET", "HEAD", "POST"]);
/** What a minted slug can look like; anything else is answered without a lookup. */
const SLUG_REGEXP = /^[A-Za-z0-9_-]{1,64}$/;
/** Column widths of canary_triggers. */
const MAX_METHOD = 16;
const MAX_TEXT = 4096;

/** Options for {@linkcode handleCanaryRequest}. */
export interface HandleCanaryRequestOptions {
  sink: TriggerSink;
  /** Value of the Server header, e.g. "nginx". */
  serverHeader: string;
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

/**
 * Answers one request to the canary HTTP listener: GET, HEAD and POST on
 * `/c/<slug>` and `/c/<slug>/<anything>` get the same GIF whether or not the
 * slug exists, once the trigger of an active one is durable (an unknown slug
 * waits for the sink's next commit too); anything else gets the configured
 * server's plain 404.
 *
 * @example
 * ```ts
 * const res = await handleCanaryRequest(new Request("http://h/c/abc"), {
 *   sink, serverHeader: "nginx", proxies: createProxyMatcher([]), peerIp: "192.0.2.9",
 * });
 * ```
 */
export async function handleCanaryRequest(
  request: Request,
  options: HandleCanaryRequestOptions,
): Promise<Response> {
  const url = request.url;
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  const requestPath = pathStart < 0 ? "/" : url.slice(pathStart);
  const slug = slugOf(requestPath);
  if (slug === null || !CALLBACK_METHODS.has(request.method)) {
    if (request.method !== "GET" && request.method !== "HEAD") await request.body?.cancel();
    return notFound(options.serverHeader);
  }
  if (SLUG_REGEXP.test(slug)) {
    const occurredAt = (options.now ?? (() => new Date()))();
    const at = occurredAt.getTime();
    const cache = options.cache;
    const cached = cache?.get(slug, at);
    // The answer waits until the trigger is durable; an unknown slug waits as long (settle),
    // so neither the answer nor its timing tells whether the slug exists.
    const settle = options.settle ?? (() => options.sink.settle?.() ?? Promise.resolve());
    if (cached === null) await settle();
    else {
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name] = value.slice(0, MAX_TEXT);
      const srcIp = resolveClientIp(
        options.peerIp,
        headers["x-forwarded-for"] ?? null,
        options.proxies,
      );
      const userAgent = headers["user-agent"] ?? null;
      const method = request.method;
      const sink = options.sink;
      const fetch = (s: string) => sink.findActiveBySlug(s);
      const task = async () => {
        try {
          const token = cached ?? (cache ? await cache.lookup(slug, at, fetch) : await fetch(slug));
          if (token === null) return await settle();
          const trigger: TriggerRecord = {
            tokenUuid: token.uuid,
            occurredAt,
            srcIp,
            userAgent,
            method: method.slice(0, MAX_METHOD),
            requestPath: requestPath.slice(0, MAX_TEXT),
            dnsQname: null,
            dnsClientSubnet: null,
            headers,
          };
          await (options.record ? options.record(trigger) : sink.recordTrigger(trigger));
          options.log?.info("http trigger", { token: token.uuid, src_ip: srcIp });
        } catch (e) {
          options.log?.error("cannot record http trigger", { error: String(e) });
        }
      };
      await task();
    }
  }
  // Reading `body` costs even when empty: only POST carries one worth cancelling.
  if (request.method === "POST") await request.body?.cancel();
  return gif(options.serverHeader);
}

/** The slug of `/c/<slug>` or `/c/<slug>/...` (query string ignored), else null. */
function slugOf(path: string): string | null {
  if (!path.startsWith("/c/")) return null;
  let end = path.length;
  for (let i = 3; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      end = i;
      break;
    }
  }
  return end > 3 ? path.slice(3, end) : null;
}

/** Prebuilt header sets per Server value: a shared Headers object keeps Deno.serve on its fast path. */
const GIF_HEADERS = new Map<string, Headers>();

function gif(server: string): Response {
  let headers = GIF_HEADERS.get(server);
  if (headers === undefined) {
    headers = new Headers({
      "server": server,
      "content-type": "image/gif",
      "cache-control": "no-cache, no-store, must-revalidate",
      "pragma": "no-cache",
      "expires": "0",
    });
    if (GIF_HEADERS.size < 16) GIF_HEADERS.set(server, headers);
  }
  return new Response(TRANSPARENT_GIF, { status: 200, headers });
}

/** A 404 page shaped like the one the server named in the Server header sends. */
function notFound(server: string): Response {
  const apache = /^apache/i.test(server);
  const body = apache
    ? '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n' +
      "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n" +
      "<p>The requested URL was not found on this server.</p>\n</body></html>\n"
    : "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n" +
      "<center><h1>404 Not Found</h1></center>\r\n" +
      `<hr><center>${escapeHtml(server)}</center>\r\n</body>\r\n</html>\r\n`;
  return new Response(body, {
    status: 404,
    headers: {
      "server": server,
      "content-type": apache ? "text/html; charset=iso-8859-1" : "text/html",
    },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
