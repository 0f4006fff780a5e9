/**
 * HTTP/1.x as Debian's nginx 1.22 speaks it: a pure request-head parser that
 * accepts and refuses what nginx accepts and refuses, and the bytes of its
 * answers (error pages, empty_gif, header order and case), shared by the
 * canary listener and the HTTP sensor, so both answer exactly as nginx does.
 *
 * @module
 */
export { parseHttp1Request } from "./http1_request_parser.ts";
export type {
  Http1Limits,
  Http1ParseResult,
  Http1Refusal,
  Http1Request,
} from "./http1_request_parser.ts";
export { normalizeHttpPath } from "./normalize_http_path.ts";
export { skipChunkedBody } from "./http1_chunked_body.ts";
export type { ChunkedBodyResult } from "./http1_chunked_body.ts";
export { NGINX_EMPTY_GIF, nginxErrorPage, renderNginxResponse } from "./nginx_responses.ts";
export type { NginxStatus, RenderNginxResponseOptions } from "./nginx_responses.ts";
export { renderNginxProxied } from "./render_nginx_proxied.ts";
export type { RenderNginxProxiedOptions } from "./render_nginx_proxied.ts";
