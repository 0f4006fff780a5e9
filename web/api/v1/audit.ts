import { z } from "zod";
import { AUDIT_ACTIONS, auditView } from "../../../core/audit/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";

const Time = z.iso.datetime({ offset: true });

/** Filters of the audit log (the API's and the dashboard page's). */
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  user: z.string().min(1).max(64).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  since: Time.optional(),
  until: Time.optional(),
}).strict();

/** `/api/v1/audit` (admin): the audit log of operator actions. */
export function auditRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/audit", guard);

  router.route({
    method: "get",
    path: "/",
    summary: "Operator actions, newest first",
    description: "Each item: `id`, `occurred_at`, `actor` (a user name, or `cli` with " +
      "`os_user`), `actor_kind`, `client_ip`, `action`, `target`, `outcome` " +
      "(`success`/`failure`), `detail`; the same shape `audit.<action>` carries on the bus. " +
      "`user` filters by actor, `since` (inclusive) and `until` (exclusive) by time.",
    access: "admin",
    query: AuditQuery,
  }, async (c, { query }) => {
    const { items, total } = await deps.repos.audit.list({
      actor: query.user,
      action: query.action,
      since: query.since === undefined ? undefined : new Date(query.since).toISOString(),
      until: query.until === undefined ? undefined : new Date(query.until).toISOString(),
      limit: query.limit,
      offset: query.offset,
    });
    return c.json({ items: items.map(auditView), total });
  });

  return router;
}
