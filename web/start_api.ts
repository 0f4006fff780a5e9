import type { Bus, Subscription } from "../core/bus/mod.ts";
import { ensureJwtSecret } from "../core/config/ensure_jwt_secret.ts";
import {
  createRepositories,
  DatabaseProbe,
  openMigratedDatabase,
  readChangeStamp,
} from "../core/db/mod.ts";
import { openDocker } from "../core/docker/mod.ts";
import type { Logger } from "../core/log/mod.ts";
import { printLine } from "../core/log/mod.ts";
import type { WorkerHealth } from "../core/workers/mod.ts";
import type { ApiConfig } from "./api_worker.ts";
import { AccessCache } from "./auth/access_cache.ts";
import { watchAccountChanges } from "./auth/watch_account_changes.ts";
import { LoginThrottle } from "./auth/login_throttle.ts";
import { ensureFirstAdmin } from "./auth/ensure_first_admin.ts";
import { JwtSigner } from "./auth/jwt.ts";
import { SseTickets } from "./auth/sse_tickets.ts";
import { createApp } from "./create_app.ts";
import { serveApi } from "./serve_api.ts";
import type { GrantedAccess } from "./app_env.ts";

/** Dependencies of the api worker beyond its configuration. */
export interface StartApiOptions {
  log: Logger;
  bus: Bus;
  /** Per-worker health; defaults to the api alone, healthy. */
  workerHealth?: () => WorkerHealth[];
  signal?: AbortSignal;
}

/** The running api worker. */
export interface ApiHandle extends AsyncDisposable {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The api worker: opens and migrates the database, creates the first admin
 * when there is no user (printing a generated password once), and serves
 * the app. The same function runs under `decnet up` and `decnet api`.
 *
 * @example
 * ```ts
 * import type { Bus } from "../core/bus/base.ts";
 * import type { Config } from "../core/config/config.ts";
 * import type { Logger } from "../core/log/logger.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const log: Logger;
 * await using api = await startApi(config, { log, bus });
 * ```
 */
export async function startApi(config: ApiConfig, options: StartApiOptions): Promise<ApiHandle> {
  const { log } = options;
  const handle = await openMigratedDatabase(config.dbUrl);
  let probe: DatabaseProbe | undefined;
  let accessWatch: Subscription[] = [];
  try {
    const repos = createRepositories(handle);
    const first = await ensureFirstAdmin(repos.users, {
      username: config.adminUser,
      password: config.adminPassword,
    });
    if (first.created) {
      log.info("created the first admin", { username: first.username });
      if (first.generatedPassword) {
        printLine(
          `First admin created: username "${first.username}", password "${first.generatedPassword}" (shown once; change it with: decnet user passwd ${first.username})`,
        );
      }
    }
    const startedAt = new Date();
    const accessCache = new AccessCache<GrantedAccess>();
    // Account and key changes made anywhere the bus reaches (this worker's own routes, or
    // `decnet user`/`decnet api-key` with DECNET_BUS_URL) end cached grants at once; other
    // processes' changes are seen within the cache's TTL.
    accessWatch = watchAccountChanges(options.bus, () => accessCache.clear());
    probe = new DatabaseProbe(handle.db);
    const deps = {
      config,
      repos,
      jwt: await JwtSigner.create(await ensureJwtSecret(config)),
      log,
      bus: options.bus,
      docker: openDocker({ dockerHost: config.dockerHost }),
      now: () => new Date(),
      tickets: new SseTickets({ maxPerUser: config.sseMaxPerUser }),
      accessCache,
      changeStamp: () => readChangeStamp(handle),
      loginThrottle: new LoginThrottle({
        maxFailures: config.loginMaxAttempts,
        windowMs: config.loginWindowSeconds * 1000,
      }),
      databaseHealth: () => probe!.status(),
      workerHealth: options.workerHealth ?? (() => [{
        name: "api",
        healthy: true,
        state: "running",
        restarts: 0,
        uptime_seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        last_heartbeat: new Date().toISOString(),
        extras: {},
      }]),
    };
    const tls = config.apiTlsCert && config.apiTlsKey
      ? {
        cert: await Deno.readTextFile(config.apiTlsCert),
        key: await Deno.readTextFile(config.apiTlsKey),
      }
      : undefined;
    const server = serveApi(createApp(deps), {
      hostname: config.apiBind,
      port: config.apiPort,
      tls,
      signal: options.signal,
    });
    const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname;
    const url = `${tls ? "https" : "http"}://${host}:${server.port}`;
    log.info("api listening", { url });
    let closed: Promise<void> | undefined;
    const close = () =>
      closed ??= (async () => {
        await server.close();
        for (const watch of accessWatch) watch.close();
        probe?.[Symbol.dispose]();
        await deps.docker.close();
        await handle.close();
      })();
    return { url, port: server.port, close, [Symbol.asyncDispose]: close };
  } catch (e) {
    for (const watch of accessWatch) watch.close();
    probe?.[Symbol.dispose]();
    await handle.close();
    throw e;
  }
}
