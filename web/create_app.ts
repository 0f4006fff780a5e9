import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { VERSION } from "../core/version.ts";
import type { ApiRouter } from "./api_router.ts";
import type { AppDeps } from "./app_deps.ts";
import type { AppEnv } from "./app_env.ts";
import { authGuard } from "./auth/auth_guard.ts";
import { HttpError } from "./http_error.ts";
import { requestClient } from "./request_client.ts";
import { buildOpenApi } from "./openapi.ts";
import { authRouter } from "./api/v1/auth.ts";
import { healthRouter } from "./api/v1/health.ts";
import { usersRouter } from "./api/v1/users.ts";
import { workersRouter } from "./api/v1/workers.ts";
import { orchestratorRouter } from "./api/v1/orchestrator.ts";
import { realismRouter } from "./api/v1/realism.ts";
import { CANARY_UPLOAD_PATH, canaryRouter } from "./api/v1/canary.ts";
import { fleetRouter } from "./api/v1/fleet.ts";
import { eventsRouter } from "./api/v1/events.ts";
import { attackersRouter } from "./api/v1/attackers.ts";
import { apiKeysRouter } from "./api/v1/api_keys.ts";
import { auditRouter } from "./api/v1/audit.ts";
import { campaignsRouter } from "./api/v1/campaigns.ts";
import { alertsRouter } from "./api/v1/alerts.ts";
import { swarmRouter } from "./api/v1/swarm.ts";
import { pagesRouter } from "./pages/pages_router.tsx";

/** Largest JSON body the API reads (uploads have their own limit). */
const MAX_JSON_BODY = 1024 * 1024;

/**
 * The decnet web app: every `/api/v1` router, the OpenAPI document, the
 * dashboard pages and their embedded assets, one error mapper (JSON `{error}`
 * under /api/, HTML pages elsewhere; a bare logged 500 for anything else).
 *
 * @example
 * ```ts
 * import type { AppDeps } from "./app_deps.ts";
 * declare const deps: AppDeps;
 * const app = createApp(deps);
 * const res = await app.request("/api/v1/health");
 * ```
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = authGuard(deps);
  const routers: ApiRouter[] = [
    healthRouter(deps, guard),
    authRouter(deps, guard),
    usersRouter(deps, guard),
    workersRouter(deps, guard),
    orchestratorRouter(deps, guard),
    realismRouter(deps, guard),
    canaryRouter(deps, guard),
    fleetRouter(deps, guard),
    eventsRouter(deps, guard),
    attackersRouter(deps, guard),
    apiKeysRouter(deps, guard),
    auditRouter(deps, guard),
    campaignsRouter(deps, guard),
    alertsRouter(deps, guard),
    swarmRouter(deps, guard),
  ];

  app.use("*", requestClient(deps.config.apiTrustedProxies));
  app.use(
    "*",
    secureHeaders({
      crossOriginResourcePolicy: "same-origin",
      // Strict: scripts only from our own hashed bundle, no inline script or
      // style; island props travel as <script type="application/json"> data.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    }),
  );
  app.use("/api/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });
  const jsonLimit = bodyLimit({
    maxSize: MAX_JSON_BODY,
    onError: () => {
      throw new HttpError(
        413,
        "payload_too_large",
        `Request body exceeds ${MAX_JSON_BODY} bytes`,
      );
    },
  });
  // Uploads have their own limit (DECNET_CANARY_MAX_UPLOAD), set by their router.
  app.use(
    "/api/*",
    (c, next) =>
      c.req.method === "POST" && c.req.path === CANARY_UPLOAD_PATH ? next() : jsonLimit(c, next),
  );
  if (deps.log.enabled("debug")) {
    app.use("*", async (c, next) => {
      const started = performance.now();
      await next();
      deps.log.debug("request", {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      });
    });
  }

  for (const router of routers) app.route(router.base, router.app);
  const openApi = buildOpenApi(routers, VERSION);
  app.get("/api/v1/openapi.json", (c) => c.json(openApi));
  app.route("/", pagesRouter(deps));

  app.notFound((c) => {
    throw new HttpError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
  });
  app.onError(async (err, c) => {
    // JSON under /api/; HTML error pages for the dashboard's routes.
    const isApi = c.req.path === "/api" || c.req.path.startsWith("/api/");
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      if (isApi) return c.json(err.toJSON(), err.status as 400);
      const p = await import("./pages/page_components.ts");
      return c.html(
        p.renderPage(
          p.ErrorPage({ status: err.status, message: err.message, user: c.get("user") ?? null }),
        ),
        err.status as 400,
      );
    }
    deps.log.error("unhandled error", { method: c.req.method, path: c.req.path, error: err });
    if (!isApi) {
      const p = await import("./pages/page_components.ts");
      return c.html(
        p.renderPage(p.ErrorPage({ status: 500, message: "Internal error", user: null })),
        500,
      );
    }
    return c.json({ error: { code: "internal", message: "Internal error" } }, 500);
  });
  return app;
}
