import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { VERSION } from "../../../core/version.ts";

/** `/api/v1/health`: liveness, version and per-worker health (no auth). */
export function healthRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/health", guard);
  router.route({
    method: "get",
    path: "/",
    summary: "Service status, version and per-worker health",
    access: "public",
    responses: { 200: "Healthy", 503: "A worker is unhealthy or the database unreachable" },
  }, (c) => {
    const workers = deps.workerHealth();
    const db = deps.databaseHealth?.() ?? { reachable: true, checkedAt: null, error: null };
    const database = {
      status: db.reachable ? "up" : "down",
      checked_at: db.checkedAt?.toISOString() ?? null,
      ...(db.error ? { error: db.error } : {}),
    };
    const healthy = db.reachable && workers.every((w) => w.healthy);
    return c.json(
      { status: healthy ? "ok" : "degraded", version: VERSION, database, workers },
      healthy ? 200 : 503,
    );
  });
  return router;
}
