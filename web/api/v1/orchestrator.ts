import { z } from "zod";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import type { OrchestratorEmailRow, OrchestratorEventRow } from "../../../core/db/mod.ts";

const DURATION_REGEXP = /^(\d+)\s*([smhdw])$/;
const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  kind: z.enum(["traffic", "file", "email"]).optional(),
});

const StatsQuery = z.object({
  since: z.string().default("24h"),
  success: z.enum(["true", "false"]).optional(),
});

/** An event as the API shows it (traffic and file rows; emails mapped to the same shape). */
export function eventView(row: OrchestratorEventRow): Record<string, unknown> {
  return {
    id: row.id,
    ts: row.ts,
    kind: row.kind,
    src_decky_uuid: row.src_decky_uuid,
    src_decky_name: row.src_decky_name,
    dst_decky_uuid: row.dst_decky_uuid,
    dst_decky_name: row.dst_decky_name,
    success: row.success === 1,
    payload: JSON.parse(row.payload),
    error: row.error,
  };
}

/** An email row in the event shape, plus its own fields. */
export function emailView(row: OrchestratorEmailRow): Record<string, unknown> {
  const references = row.references_chain.split(/\s+/).filter(Boolean);
  return {
    id: row.id,
    ts: row.ts,
    kind: "email",
    src_decky_uuid: null,
    src_decky_name: null,
    dst_decky_uuid: row.mail_decky_uuid,
    dst_decky_name: row.mail_decky_name,
    success: row.success === 1,
    payload: { action: row.in_reply_to ? "reply" : "send", path: row.path },
    error: row.error,
    thread_id: row.thread_id,
    message_id: row.message_id,
    in_reply_to: row.in_reply_to,
    references,
    sender: row.sender,
    recipient: row.recipient,
    subject: row.subject,
    language: row.language,
    body: row.body,
    path: row.path,
  };
}

/** Reads "1h", "30m", "7d" (before now) or an ISO 8601 instant. */
function parseSince(raw: string, now: Date): string {
  const m = DURATION_REGEXP.exec(raw.trim());
  if (m) return new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2]]).toISOString();
  const t = Date.parse(raw);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(raw)) {
    throw new HttpError(
      400,
      "invalid_request",
      `Invalid query.since: expected a duration such as 1h, 30m, 7d or an ISO 8601 time, got "${raw}"`,
      { field: "query.since" },
    );
  }
  return new Date(t).toISOString();
}

/**
 * `/api/v1/orchestrator`: the realism events (list, stats); live, they come
 * through `/api/v1/events/stream` (`orchestrator.>`).
 */
export function orchestratorRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/orchestrator", guard);
  const repo = deps.repos.orchestrator;

  router.route({
    method: "get",
    path: "/events",
    summary: "Realism events, newest first; kind=email lists the synthetic e-mails",
    access: "viewer",
    query: ListQuery,
  }, async (c, { query }) => {
    if (query.kind === "email") {
      const page = await repo.listEmails({ limit: query.limit, offset: query.offset });
      return c.json({ items: page.items.map(emailView), total: page.total });
    }
    const page = await repo.listEvents({
      limit: query.limit,
      offset: query.offset,
      ...(query.kind ? { kind: query.kind } : {}),
    });
    return c.json({ items: page.items.map(eventView), total: page.total });
  });

  router.route({
    method: "get",
    path: "/events/stats",
    summary: "Counts of realism events by kind and outcome since a time (since=1h, success=false)",
    access: "viewer",
    query: StatsQuery,
  }, async (c, { query }) => {
    const since = parseSince(query.since, deps.now());
    const success = query.success === undefined ? undefined : query.success === "true";
    const rows = await repo.stats({ since, ...(success === undefined ? {} : { success }) });
    const byKind: Record<string, { total: number; ok: number; failed: number }> = {};
    for (const kind of ["traffic", "file", "email"]) byKind[kind] = { total: 0, ok: 0, failed: 0 };
    let total = 0;
    for (const r of rows) {
      byKind[r.kind].total += r.n;
      byKind[r.kind][r.success ? "ok" : "failed"] += r.n;
      total += r.n;
    }
    return c.json({ since, success: success ?? null, total, by_kind: byKind });
  });

  return router;
}
