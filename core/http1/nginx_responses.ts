import { gzipSync } from "node:zlib";

/**
 * The bytes nginx 1.22 sends for `empty_gif` and for its built-in error pages,
 * header names, order and case included (checked byte for byte against a
 * real Debian nginx in tests/integration/canary_http_nginx_test.ts).
 */

/** nginx's empty_gif image (43 bytes), as its module has it. */
export const NGINX_EMPTY_GIF: Uint8Array<ArrayBuffer> = Uint8Array.from([
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
  0x01,
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
  0x01,
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
  0x4c,
  0x01,
  0x00,
  0x3b,
]);

/** What the listener answers: 200 is the GIF, 494 nginx's "header too large" 400 page, 401 auth_basic's. */
export type NginxStatus = 200 | 400 | 401 | 404 | 405 | 413 | 414 | 494 | 501 | 505;

/** Options for {@linkcode renderNginxResponse}. */
export interface RenderNginxResponseOptions {
  /** Server header and error page footer ("nginx/1.22.1", or "nginx" with server_tokens off). */
  server: string;
  /** When the answer is sent (the Date header). */
  date: Date;
  /** Connection: keep-alive rather than close. */
  keepAlive: boolean;
  /** HEAD: the headers of the same answer, without the body. */
  headOnly?: boolean;
  /** HTTP/0.9 request: the body alone, no status line or headers. */
  http09?: boolean;
  /** MSIE client: nginx's msie_padding pads error pages. */
  msie?: boolean;
  /** The client takes gzip (see Http1Request.gzip): a 404 page goes out compressed and chunked. */
  gzip?: boolean;
  /** WWW-Authenticate values of a 401, each its own header line after Connection (auth_basic's). */
  wwwAuthenticate?: readonly string[];
}

const STATUS_LINES: Record<Exclude<NginxStatus, 200>, string> = {
  400: "400 Bad Request",
  401: "401 Unauthorized",
  404: "404 Not Found",
  405: "405 Not Allowed",
  413: "413 Request Entity Too Large",
  414: "414 Request-URI Too Large",
  494: "400 Bad Request",
  501: "501 Not Implemented",
  505: "505 HTTP Version Not Supported",
};

/** empty_gif's fixed Last-Modified (23349600 seconds after the epoch). */
const EMPTY_GIF_LAST_MODIFIED = "Mon, 28 Sep 1970 06:00:00 GMT";

/** nginx's msie_padding: six comment lines so MSIE shows the page, not its own. */
const MSIE_PADDING = "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n".repeat(
  6,
);

const encoder = new TextEncoder();

/**
 * The 404 page as nginx's `gzip on` sends it, compressed by Debian's zlib
 * 1.2.13 (level 1, window and memory shrunk to the page's size), keyed by
 * the Server value. Captured from nginx-light and checked against it by the
 * byte comparison test: Deno's zlib (Chromium's fork) picks other matches,
 * so for other Server values the page is compressed here and decompresses to
 * the same text in different bytes.
 */
const NGINX_404_GZIP: Readonly<Record<string, string>> = {
  "nginx/1.22.1":
    "H4sIAAAAAAAEA7PJKMnNsePlsslITUyxsynJLMlJtTMxMFHwyy9RcMsvzUux0YcI2uiDlQCVJuWnVIK0JKfmlaQW2dlkGKLrAIrY6EOlQWYDFUF5eemZeRX6hnpGRnqGyEr0YYbqQx0EAJeNf72ZAAAA",
  "nginx":
    "H4sIAAAAAAAEA7PJKMnNsePlsslITUyxsynJLMlJtTMxMFHwyy9RcMsvzUux0YcI2uiDlQCVJuWnVIK0JKfmlaQW2dlkGKLrAIrY6EOlQWYDFUF5eemZeRXIcvow0/ShLgEAC9lhM5IAAAA=",
};

function gzipPage(page: string, server: string, padded: boolean): Uint8Array {
  const known = padded ? undefined : NGINX_404_GZIP[server];
  if (known !== undefined) return Uint8Array.from(atob(known), (c) => c.charCodeAt(0));
  return new Uint8Array(gzipSync(encoder.encode(page), { level: 1 }));
}

/** nginx's error page for a status, footer naming the server as its error tail does. */
export function nginxErrorPage(status: Exclude<NginxStatus, 200>, server: string): string {
  const line = STATUS_LINES[status];
  // nginx's 401 page names the status otherwise than its status line does.
  const title = status === 401 ? "401 Authorization Required" : line;
  const head = status === 494
    ? "<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n" +
      "<center><h1>400 Bad Request</h1></center>\r\n" +
      "<center>Request Header Or Cookie Too Large</center>\r\n"
    : `<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n`;
  return `<html>\r\n${head}<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * The whole answer nginx sends for `status`: status line, headers in nginx's
 * order and case (Server, Date, Content-Type, Content-Length, Last-Modified
 * for the GIF, Connection), then the body.
 *
 * @example
 * ```ts
 * const bytes = renderNginxResponse(404, { server: "nginx/1.22.1", date: new Date(), keepAlive: true });
 * ```
 */
export function renderNginxResponse(
  status: NginxStatus,
  options: RenderNginxResponseOptions,
): Uint8Array {
  let body: Uint8Array;
  let head: string;
  const date = httpDate(options.date);
  const connection = options.keepAlive ? "keep-alive" : "close";
  if (status === 200) {
    body = NGINX_EMPTY_GIF;
    head = `HTTP/1.1 200 OK\r\nServer: ${options.server}\r\nDate: ${date}\r\n` +
      `Content-Type: image/gif\r\nContent-Length: ${body.length}\r\n` +
      `Last-Modified: ${EMPTY_GIF_LAST_MODIFIED}\r\nConnection: ${connection}\r\n\r\n`;
  } else {
    let page = nginxErrorPage(status, options.server);
    const padded = options.msie === true && !options.http09;
    if (padded) page += MSIE_PADDING;
    const start = `HTTP/1.1 ${STATUS_LINES[status]}\r\nServer: ${options.server}\r\n` +
      `Date: ${date}\r\nContent-Type: text/html\r\n`;
    // nginx compresses text/html answers with status 200, 403 or 404 only.
    if (status === 404 && options.gzip && !options.http09) {
      const gz = gzipPage(page, options.server, padded);
      head = start + (options.headOnly ? "" : "Transfer-Encoding: chunked\r\n") +
        `Connection: ${connection}\r\nContent-Encoding: gzip\r\n\r\n`;
      body = concat(
        encoder.encode(`${gz.length.toString(16)}\r\n`),
        gz,
        encoder.encode("\r\n0\r\n\r\n"),
      );
    } else {
      body = encoder.encode(page);
      const auth = (options.wwwAuthenticate ?? []).map((v) => `WWW-Authenticate: ${v}\r\n`).join(
        "",
      );
      head = start + `Content-Length: ${body.length}\r\nConnection: ${connection}\r\n${auth}\r\n`;
    }
  }
  if (options.http09) return body;
  const headBytes = encoder.encode(head);
  if (options.headOnly) return headBytes;
  return concat(headBytes, body);
}

/** The last Date header made, by second: formatting one costs more than the rest of the head. */
let lastDateSecond = NaN;
let lastDateText = "";

function httpDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastDateSecond) {
    lastDateSecond = second;
    lastDateText = date.toUTCString();
  }
  return lastDateText;
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
