import { createRepositories, openMigratedDatabase, readChangeStamp } from "../../core/db/mod.ts";
import type { DbHandle, Repositories } from "../../core/db/mod.ts";
import { loadConfig } from "../../core/config/mod.ts";
import type { Config } from "../../core/config/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { MemoryBus } from "../../core/bus/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import { createApp, hashPassword, JwtSigner, LoginThrottle, SseTickets } from "../../web/mod.ts";
import { AccessCache } from "../../web/auth/access_cache.ts";
import type { AppDeps } from "../../web/mod.ts";

/** A request to the test app: a bearer token, a JSON body, the peer address. */
export type TestRequestInit = RequestInit & { token?: string; json?: unknown; ip?: string };

/** A web app over an in-memory SQLite database, with a settable clock. */
export interface TestApp extends AsyncDisposable {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  repos: Repositories;
  clock: { now: Date };
  /** Creates a user and returns a bearer token for it. */
  login(username: string, role: "admin" | "viewer"): Promise<string>;
  /** Delays the login throttle asked for, in order. */
  loginDelays: number[];
  /** `ip` is the TCP peer (default 192.0.2.7). */
  request(path: string, init?: TestRequestInit): Promise<Response>;
}

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};

/**
 * Builds a {@linkcode TestApp}; `env` overrides DECNET_* settings,
 * `sessionCheckMs` how often open streams re-check their session (50 ms).
 */
export async function makeTestApp(
  env: Record<string, string> = {},
  options: { sessionCheckMs?: number } = {},
): Promise<TestApp> {
  const handle: DbHandle = await openMigratedDatabase("sqlite::memory:");
  const config: Config = loadConfig({ DECNET_JWT_SECRET: "x".repeat(40), ...env }, {
    readTextFile: noFile,
  });
  const clock = { now: new Date("2026-11-18T14:00:00.000Z") };
  const repos = createRepositories(handle, { clock: () => clock.now });
  const lines: string[] = [];
  const loginDelays: number[] = [];
  const deps: AppDeps = {
    config,
    repos,
    jwt: await JwtSigner.create(config.jwtSecret!),
    log: new Logger({ level: "error", sink: (_l, line) => lines.push(line) }),
    now: () => clock.now,
    // Streams re-check their session often, so tests see another process's changes quickly.
    tickets: new SseTickets({
      maxPerUser: config.sseMaxPerUser,
      sessionCheckMs: options.sessionCheckMs ?? 50,
    }),
    accessCache: new AccessCache(),
    changeStamp: () => readChangeStamp(handle),
    loginThrottle: new LoginThrottle({
      maxFailures: config.loginMaxAttempts,
      windowMs: config.loginWindowSeconds * 1000,
      // Login delays are recorded, not waited (the clock is fake too).
      sleep: (ms) => {
        loginDelays.push(ms);
        return Promise.resolve();
      },
    }),
    docker: openDocker({ dockerHost: env.DOCKER_HOST ?? "unix:///nonexistent/docker.sock" }),
    bus: new MemoryBus({ channel: `test-${crypto.randomUUID()}` }),
    workerHealth: () => [],
  };
  const app = createApp(deps);
  const request = (path: string, init: TestRequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return Promise.resolve(
      app.request(path, { ...init, headers, body }, {
        remoteAddr: { hostname: init.ip ?? "192.0.2.7", port: 5 },
      }),
    );
  };
  return {
    app,
    deps,
    repos,
    clock,
    loginDelays,
    request,
    async login(username, role) {
      await repos.users.create({
        username,
        passwordHash: await hashPassword(`${username}-password-1`),
        role,
      });
      const res = await request("/api/v1/auth/login", {
        method: "POST",
        json: { username, password: `${username}-password-1` },
      });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    [Symbol.asyncDispose]: async () => {
      await deps.bus.close();
      await deps.docker.close();
      await handle.close();
    },
  };
}
