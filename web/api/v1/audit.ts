import { z } from "zod";
import { AUDIT_ACTIONS, auditView } from "../../../core/audit/mod.ts";
import type { AuditPayload } from "../../../core/bus/mod.ts";
import type { AuditRepository } from "../../../core/db/mod.ts";
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

/**
 * One page of the audit log for checked filters (the API's and the
 * dashboard's): times with any offset compared as UTC.
 *
 * @param audit the audit repository
 * @param query filters parsed by {@linkcode AuditQuery}
 * @returns the entries in their wire shape, and how many match
 */
export async function queryAudit(
  audit: Pick<AuditRepository, "list">,
  query: z.infer<typeof AuditQuery>,
): Promise<{ items: AuditPayload[]; total: number }> {
  const utc = (time: string | undefined) =>
    time === undefined ? undefined : new Date(time).toISOString();
  const { items, total } = await audit.list({
    actor: query.user,
    action: query.action,
    since: utc(query.since),
    until: utc(query.until),
    limit: query.limit,
    offset: query.offset,
  });
  return { items: items.map(auditView), total };
}

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
  }, async (c, { query }) => c.json(await queryAudit(deps.repos.audit, query)));

  return router;
}
