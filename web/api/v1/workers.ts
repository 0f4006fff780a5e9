import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import { requestAudit } from "../../request_audit.ts";
import { controlTopic } from "../../../core/bus/mod.ts";
import type { ControlPayload } from "../../../core/bus/mod.ts";
import { quoteValue } from "../../../core/log/mod.ts";
import { workerViews } from "./worker_views.ts";

/** `/api/v1/workers`: health of every worker; admins start and stop them (under `decnet up`). */
export function workersRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/workers", guard);

  router.route({
    method: "get",
    path: "/",
    summary: "Workers with health, uptime, last heartbeat and restarts",
    access: "viewer",
  }, (c) => {
    const items = workerViews(deps);
    return c.json({ items, total: items.length });
  });

  for (const action of ["start", "stop"] as const) {
    router.route({
      method: "post",
      path: `/:name/${action}`,
      summary: `Ask the supervisor to ${action} a worker`,
      access: "admin",
      responses: {
        202: "Requested",
        404: "No such worker",
        409: "Not run by decnet up (the sniffer of its own unit)",
      },
    }, async (c) => {
      const name = c.req.param("name") ?? "";
      const worker = workerViews(deps).find((w) => w.name === name);
      if (!worker) {
        throw new HttpError(404, "not_found", `No such worker: ${quoteValue(name)}`, {
          field: "path.name",
        });
      }
      if (!worker.controllable) {
        throw new HttpError(
          409,
          "not_controllable",
          `Cannot ${action} the sniffer here: decnet up does not run it (DECNET_SNIFFER is off), its own unit does: systemctl ${action} decnet-sniffer`,
          { field: "path.name" },
        );
      }
      const payload: ControlPayload = {
        action,
        at: deps.now().toISOString(),
        reason: `by ${c.get("user").username}`,
      };
      deps.bus.publish(controlTopic(name), payload);
      await requestAudit(deps, c)({
        action: action === "start" ? "worker.start_requested" : "worker.stop_requested",
        target: name,
        outcome: "success",
      });
      deps.log.info(`worker ${action} requested`, { worker: name, by: c.get("user").username });
      return c.json({ name, action, requested: true }, 202);
    });
  }
  return router;
}
