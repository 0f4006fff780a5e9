import { gzipSync } from "node:zlib";

/** Options for {@linkcode renderNginxProxied}. */
export interface RenderNginxProxiedOptions {
  /** Server header ("nginx/1.22.1", or "nginx" with server_tokens off). */
  server: string;
  date: Date;
  keepAlive: boolean;
  /** The upstream's Content-Type. */
  contentType: string;
  /** The upstream's other headers, in its order (Set-Cookie, Cache-Control, ...). */
  headers?: readonly (readonly [string, string])[];
  /** HEAD: the headers of the same answer, without the body. */
  headOnly?: boolean;
  /** The client takes gzip (Http1Request.gzip): `gzip on` compresses text/html, chunked. */
  gzip?: boolean;
}

const encoder = new TextEncoder();

/**
 * A 200 answer of an application behind Debian's nginx 1.22 (proxy_pass or
 * fastcgi with the stock `gzip on`): nginx's own headers first (Server,
 * Date, Content-Type, Content-Length or Transfer-Encoding, Connection), then
 * the upstream's in its order, then Content-Encoding when nginx compressed.
 * The compressed bytes are Deno's zlib at nginx's level 1, not Debian's
 * (they decompress to the same page).
 *
 * @example
 * ```ts
 * const bytes = renderNginxProxied("<html></html>", {
 *   server: "nginx/1.22.1",
 *   date: new Date(),
 *   keepAlive: true,
 *   contentType: "text/html; charset=UTF-8",
 * });
 * ```
 */
export function renderNginxProxied(body: string, options: RenderNginxProxiedOptions): Uint8Array {
  const connection = options.keepAlive ? "keep-alive" : "close";
  const upstream = (options.headers ?? []).map(([n, v]) => `${n}: ${v}\r\n`).join("");
  const start =
    `HTTP/1.1 200 OK\r\nServer: ${options.server}\r\nDate: ${options.date.toUTCString()}\r\n` +
    `Content-Type: ${options.contentType}\r\n`;
  let head: string;
  let payload: Uint8Array;
  if (options.gzip) {
    const gz = new Uint8Array(gzipSync(encoder.encode(body), { level: 1 }));
    // As for nginx's 404 page: a HEAD answer announces no chunked body.
    head = start + (options.headOnly ? "" : "Transfer-Encoding: chunked\r\n") +
      `Connection: ${connection}\r\n${upstream}Content-Encoding: gzip\r\n\r\n`;
    payload = concat(
      encoder.encode(`${gz.length.toString(16)}\r\n`),
      gz,
      encoder.encode("\r\n0\r\n\r\n"),
    );
  } else {
    payload = encoder.encode(body);
    head = start +
      `Content-Length: ${payload.length}\r\nConnection: ${connection}\r\n${upstream}\r\n`;
  }
  const headBytes = encoder.encode(head);
  return options.headOnly ? headBytes : concat(headBytes, payload);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
