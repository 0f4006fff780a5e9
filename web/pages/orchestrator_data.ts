import type { ActivityRow } from "../../islands/mod.ts";
import type { AppDeps } from "../app_deps.ts";

/** What the orchestrator page shows. */
export interface OrchestratorData {
  rows: ActivityRow[];
  failuresLastHour: number;
}

/** Rows of each source read for the table. */
export const ACTIVITY_ROWS = 200;
/** Longest email body shown in the inspector. */
const BODY_PREVIEW = 4000;

/**
 * Traffic and file events plus emails, newest first, and the failures of
 * the last hour, from the orchestrator repository.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * declare const deps: AppDeps;
 * const { rows, failuresLastHour } = await loadOrchestratorActivity(deps);
 * ```
 */
export async function loadOrchestratorActivity(
  deps: Pick<AppDeps, "repos" | "now">,
): Promise<OrchestratorData> {
  const hourAgo = new Date(deps.now().getTime() - 3600_000).toISOString();
  const [events, emails, failedEvents, recentEmails] = await Promise.all([
    deps.repos.orchestrator.listEvents({ limit: ACTIVITY_ROWS, offset: 0 }),
    deps.repos.orchestrator.listEmails({ limit: ACTIVITY_ROWS, offset: 0 }),
    deps.repos.orchestrator.listEvents({ success: false, since: hourAgo, limit: 1, offset: 0 }),
    deps.repos.orchestrator.listEmails({ since: hourAgo, limit: 1000, offset: 0 }),
  ]);
  const rows: ActivityRow[] = [];
  for (const e of events.items) {
    rows.push({
      key: `event:${e.id}`,
      kind: e.kind,
      ts: e.ts,
      ok: e.success === 1,
      source: e.src_decky_name ?? "",
      target: e.dst_decky_name ?? "",
      summary: summarise(e.payload),
      error: e.error,
      details: {
        id: e.id,
        kind: e.kind,
        ts: e.ts,
        success: e.success === 1,
        source: e.src_decky_name,
        target: e.dst_decky_name,
        error: e.error,
        payload: parseJson(e.payload),
      },
    });
  }
  for (const m of emails.items) {
    rows.push({
      key: `email:${m.id}`,
      kind: "email",
      ts: m.ts,
      ok: m.success === 1,
      source: m.sender,
      target: m.recipient,
      summary: m.subject,
      error: m.error,
      details: {
        sender: m.sender,
        recipient: m.recipient,
        subject: m.subject,
        thread: m.thread_id,
        language: m.language,
        message_id: m.message_id,
        in_reply_to: m.in_reply_to,
        mail_decky: m.mail_decky_name,
        path: m.path,
        success: m.success === 1,
        error: m.error,
        body: m.body.length > BODY_PREVIEW ? `${m.body.slice(0, BODY_PREVIEW)}…` : m.body,
      },
    });
  }
  rows.sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
  return {
    rows: rows.slice(0, ACTIVITY_ROWS),
    failuresLastHour: failedEvents.total + recentEmails.items.filter((m) => !m.success).length,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function summarise(payload: string): string {
  const p = parseJson(payload);
  if (!p || typeof p !== "object") return "";
  const o = p as Record<string, unknown>;
  const parts = [o.action, o.service, o.path, o.detail].filter((v) => typeof v === "string");
  return parts.join(" ");
}
