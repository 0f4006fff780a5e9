/** One canary trigger row of the dashboard (a hit, or a rollup row counting many). */
export interface TriggerRow {
  /** `token@time@source`: rows are matched by it (server rows and live ones alike). */
  id: string;
  occurredAt: string;
  /** The source, or for a rollup of a flood its prefix (`198.51.100.0/24`) or `*`. */
  srcIp: string;
  tokenUuid: string;
  tokenKind: string | null;
  deckyName: string | null;
  /** The request or DNS name, then the user agent in parentheses. */
  detail: string;
  /** Hits the row counts: 1, or more for a rollup. */
  hits: number;
  /** null for one hit; `source`, `prefix` or `token` for a rollup row. */
  rollup: string | null;
}

/** What a trigger row is made of, from a stored row or from a live event alike. */
export interface TriggerRowFields {
  tokenUuid: string;
  occurredAt: string;
  srcIp: string;
  tokenKind: string | null;
  deckyName: string | null;
  /** `GET /c/<slug>` or the DNS name asked. */
  request: string;
  userAgent: string | null;
  hits: number;
  rollup: string | null;
}

/**
 * Builds the row the trigger tables show; the server (stored rows) and the
 * live island (bus events) both go through it, so a live row is the row a
 * reload shows.
 *
 * @example
 * ```ts
 * import { triggerRow } from "./trigger_row.ts";
 * triggerRow({ tokenUuid: "0b6c5f9e-2d1a-4c33-9a55-0f3d2c1b7e10", occurredAt: "2026-03-02T09:14:00Z",
 *   srcIp: "192.0.2.9", tokenKind: "http", deckyName: null,
 *   request: "GET /c/x", userAgent: "curl/8.0", hits: 1, rollup: null }).detail;
 * // "GET /c/x (curl/8.0)"
 * ```
 */
export function triggerRow(f: TriggerRowFields): TriggerRow {
  return {
    id: `${f.tokenUuid}@${f.occurredAt}@${f.srcIp}`,
    occurredAt: f.occurredAt,
    srcIp: f.srcIp,
    tokenUuid: f.tokenUuid,
    tokenKind: f.tokenKind,
    deckyName: f.deckyName,
    detail: f.userAgent ? `${f.request} (${f.userAgent})` : f.request,
    hits: f.hits,
    rollup: f.rollup,
  };
}

/**
 * The row of a `canary.<token>.triggered` event payload.
 *
 * @example
 * ```ts
 * import { type TriggerRow, triggerRowFromEvent } from "./trigger_row.ts";
 * import { followLiveEvents } from "./live_stream.ts";
 * declare function show(row: TriggerRow): void;
 * followLiveEvents(["canary.*.triggered"], {
 *   onEvent: (e) => show(triggerRowFromEvent(e.payload)),
 * });
 * ```
 */
export function triggerRowFromEvent(p: Record<string, unknown>): TriggerRow {
  const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
  return triggerRow({
    tokenUuid: String(p.token_uuid ?? ""),
    occurredAt: String(p.at ?? ""),
    srcIp: String(p.source_ip ?? "-"),
    tokenKind: text(p.kind),
    deckyName: text(p.decky),
    request: text(p.detail) ?? String(p.channel ?? ""),
    userAgent: text(p.user_agent),
    hits: typeof p.hits === "number" ? p.hits : 1,
    rollup: text(p.rollup),
  });
}

/**
 * The rows after a live one arrives, newest first and at most `limit`: a new
 * row goes on top; a rollup row already shown is replaced in place (its count
 * grew); a row already shown otherwise (a replayed event) changes nothing.
 *
 * @example
 * ```ts
 * import { mergeTriggerRow, type TriggerRow, triggerRowFromEvent } from "./trigger_row.ts";
 * declare let rows: TriggerRow[];
 * declare const payload: Record<string, unknown>;
 * rows = mergeTriggerRow(rows, triggerRowFromEvent(payload), 200);
 * ```
 */
export function mergeTriggerRow(rows: TriggerRow[], row: TriggerRow, limit: number): TriggerRow[] {
  const at = rows.findIndex((r) => r.id === row.id);
  if (at < 0) return [row, ...rows].slice(0, limit);
  return row.rollup ? rows.map((r, i) => (i === at ? row : r)) : rows;
}
