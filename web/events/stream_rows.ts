import { canaryTopic, orchestratorTopic, serviceEventTopic } from "../../core/bus/mod.ts";
import { serviceEventView } from "../../core/attackers/attacker_views.ts";
import type { BusPayload, OrchestratorEventPayload } from "../../core/bus/mod.ts";
import type {
  OrchestratorEmailRow,
  OrchestratorEventRow,
  Repositories,
} from "../../core/db/mod.ts";
// The collector's own builder, so a replayed trigger is the payload it published.
import { canaryTriggerEvent } from "../../core/attackers/canary_trigger_event.ts";
import type { StreamCursor, StreamSource } from "./stream_cursor.ts";

/** A stored row as a stream sends it: its id, and the topic and payload of its bus event. */
export interface StreamRow {
  source: StreamSource;
  id: number;
  topic: string;
  payload: BusPayload;
}

/**
 * Rows of one table after `afterId`, in id order, as their bus events.
 *
 * @example
 * ```ts
 * import type { Repositories } from "../../core/db/mod.ts";
 * import { readStreamRows } from "./stream_rows.ts";
 * declare const repos: Repositories;
 * const missed = await readStreamRows(repos, "trigger", { afterId: 41, limit: 500 });
 * ```
 */
export async function readStreamRows(
  repos: Pick<Repositories, "canary" | "orchestrator" | "attackers">,
  source: StreamSource,
  options: { afterId: number; limit: number },
): Promise<StreamRow[]> {
  if (source === "service") {
    // Benign sources' events too: the live logs page filters like the logs API.
    const { items } = await repos.attackers.listServiceEvents({
      afterId: options.afterId,
      includeBenign: true,
      limit: options.limit,
      offset: 0,
    });
    return items.map((r) => ({
      source,
      id: Number(r.id),
      topic: serviceEventTopic(r.decky, r.service),
      payload: serviceEventView(r),
    }));
  }
  if (source === "trigger") {
    const rows = await repos.canary.listTriggersForStream(options);
    return rows.map((r) => ({
      source,
      id: r.id,
      topic: canaryTopic(r.token_uuid, "triggered"),
      payload: canaryTriggerEvent(r),
    }));
  }
  const rows = source === "event"
    ? await repos.orchestrator.listEventsForStream(options)
    : await repos.orchestrator.listEmailsForStream(options);
  return rows.map((r) => {
    const payload = orchestratorRowPayload(r);
    // A row whose decky was never named still gets a topic token.
    return {
      source,
      id: Number(r.id),
      topic: orchestratorTopic(payload.kind, payload.decky || "-"),
      payload,
    };
  });
}

/**
 * The newest row id of each table (0 when empty): where a stream opened
 * without `Last-Event-ID` starts.
 */
export async function newestStreamIds(
  repos: Pick<Repositories, "canary" | "orchestrator" | "attackers">,
  sources: Iterable<StreamSource>,
): Promise<StreamCursor> {
  const cursor: StreamCursor = {};
  for (const source of sources) {
    if (source === "service") {
      cursor[source] = await repos.attackers.newestServiceEventId();
      continue;
    }
    const [newest] = source === "trigger"
      ? await repos.canary.listTriggersForStream({ limit: 1 })
      : source === "event"
      ? await repos.orchestrator.listEventsForStream({ limit: 1 })
      : await repos.orchestrator.listEmailsForStream({ limit: 1 });
    cursor[source] = newest ? Number(newest.id) : 0;
  }
  return cursor;
}

/** The `orchestrator.<kind>.<decky>` payload of a stored event or email. */
function orchestratorRowPayload(
  row: OrchestratorEventRow | OrchestratorEmailRow,
): OrchestratorEventPayload {
  if ("kind" in row) {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    const decky = row.kind === "traffic" ? row.src_decky_name : row.dst_decky_name;
    const detail = row.kind === "traffic"
      ? `${payload.login ?? ""}@${row.src_decky_name} -> ${row.dst_decky_name}:22 ${
        row.error ?? (Array.isArray(payload.commands) ? payload.commands.join("; ") : "")
      }`
      : `${payload.action ?? ""} ${payload.content_class ?? ""} ${
        payload.path ?? ""
      } on ${row.dst_decky_name}${row.error ? ` failed: ${row.error}` : ""}`;
    return {
      decky: decky ?? "",
      kind: row.kind,
      action: String(payload.action ?? (row.kind === "traffic" ? "ssh" : "")),
      at: row.ts,
      ok: row.success === 1,
      detail: detail.trim(),
    };
  }
  return {
    decky: row.mail_decky_name,
    kind: "email",
    action: row.in_reply_to ? "reply" : "send",
    at: row.ts,
    ok: row.success === 1,
    detail: `${row.sender} -> ${row.recipient} "${row.subject}"${
      row.error ? ` failed: ${row.error}` : ""
    }`,
  };
}
