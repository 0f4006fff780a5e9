import type { Hono } from "hono";
import type { AppEnv } from "./app_env.ts";

/** A listening API server. */
export interface ApiServer extends AsyncDisposable {
  /** The bound address (port resolved when 0 was asked). */
  readonly hostname: string;
  readonly port: number;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
  close(): Promise<void>;
}

/** Options for {@linkcode serveApi}. */
export interface ServeApiOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: string; key: string };
  signal?: AbortSignal;
}

/**
 * Serves the app on Deno.serve, passing the TCP peer to handlers.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "./app_deps.ts";
 * import { serveApi } from "./serve_api.ts";
 * import { createApp } from "./create_app.ts";
 * declare const deps: AppDeps;
 * await using server = serveApi(createApp(deps), { hostname: "127.0.0.1", port: 0 });
 * ```
 */
export function serveApi(app: Hono<AppEnv>, options: ServeApiOptions): ApiServer {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    signal: controller.signal,
    onListen: () => {},
    ...options.tls,
  }, (req, info) => {
    const addr = info.remoteAddr as Deno.NetAddr;
    return app.fetch(req, { remoteAddr: { hostname: addr.hostname, port: addr.port } });
  });
  const addr = server.addr as Deno.NetAddr;
  const finished = server.finished.finally(() =>
    options.signal?.removeEventListener("abort", onAbort)
  );
  const close = async () => {
    controller.abort();
    await finished;
  };
  return {
    hostname: addr.hostname,
    port: addr.port,
    finished,
    close,
    [Symbol.asyncDispose]: close,
  };
}
