import { DataTable } from "./data_table.tsx";
import { useSignal } from "@preact/signals";
import { Fragment } from "preact";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { useReturningDialog } from "./use_returning_dialog.ts";
import { formatTime } from "./format_time.ts";
import { followLiveEvents } from "./live_stream.ts";

/** One orchestrator activity row (traffic, file or email). */
export interface ActivityRow {
  /** Stable key: rows are deduplicated by it. */
  key: string;
  kind: string;
  ts: string;
  ok: boolean;
  source: string;
  target: string;
  summary: string;
  error: string | null;
  /** Everything known about it, shown in the inspector. */
  details: Record<string, unknown>;
}

/** Props of {@linkcode EventTable}. */
export interface EventTableProps {
  rows: ActivityRow[];
  /** Rows kept in the table (newest first). */
  limit: number;
}

const TABS = ["all", "traffic", "file", "email"] as const;

/**
 * `event:<id>,email:<id>`: the newest rows the server rendered (keys
 * `event:<id>`, `email:<id>`), so the stream starts right after them; ""
 * when there is none (the stream starts at the newest rows).
 */
function newestRowIds(rows: readonly ActivityRow[]): string {
  const newest: Record<string, number> = {};
  for (const r of rows) {
    const m = /^(event|email):(\d+)$/.exec(r.key);
    if (m) newest[m[1]] = Math.max(newest[m[1]] ?? 0, Number(m[2]));
  }
  return ["event", "email"].filter((t) => t in newest).map((t) => `${t}:${newest[t]}`).join(",");
}

/** The live orchestrator table: tabs, filters and an inspector drawer with the full payload. */
export function EventTable(props: EventTableProps): JSX.Element {
  const rows = useSignal(props.rows);
  const tab = useSignal<typeof TABS[number]>("all");
  const text = useSignal("");
  const status = useSignal<"any" | "ok" | "failed">("any");
  const selected = useSignal<ActivityRow | null>(null);
  const live = useSignal(false);
  const dialog = useReturningDialog(() => (selected.value = null));

  useEffect(() =>
    followLiveEvents(["orchestrator.>"], {
      lastEventId: newestRowIds(props.rows),
      onState: (on) => (live.value = on),
      onEvent: (e) => {
        const p = e.payload;
        const kind = String(p.kind ?? e.topic.split(".")[1] ?? "");
        const at = String(p.at ?? "");
        // Keyed by its row, as the server's rows are: a row is never shown twice.
        const table = kind === "email" ? "email" : "event";
        const id = new RegExp(`(?:^|,)${table}:(\\d+)`).exec(e.lastEventId)?.[1];
        const key = id ? `${table}:${id}` : `live:${kind}@${p.decky}@${at}`;
        if (rows.value.some((r) => r.key === key)) return;
        const row: ActivityRow = {
          key,
          kind,
          ts: at,
          ok: p.ok === true,
          source: String(p.decky ?? ""),
          target: "",
          summary: [p.action, p.detail].filter(Boolean).join(": "),
          error: p.ok === true ? null : String(p.detail ?? "failed"),
          details: p,
        };
        rows.value = [row, ...rows.value].slice(0, props.limit);
      },
    }), []);

  const needle = text.value.trim().toLowerCase();
  const shown = rows.value.filter((r) =>
    (tab.value === "all" || r.kind === tab.value) &&
    (status.value === "any" || (status.value === "ok") === r.ok) &&
    (!needle ||
      `${r.source} ${r.target} ${r.summary} ${r.error ?? ""}`.toLowerCase().includes(needle))
  );

  function inspect(row: ActivityRow, button: HTMLElement): void {
    selected.value = row;
    dialog.open(button);
  }

  return (
    <div>
      <div class="toolbar">
        <div role="tablist" aria-label="Event kind" class="tabs">
          {TABS.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              class="tab"
              aria-selected={tab.value === t}
              onClick={() => (tab.value = t)}
            >
              {t}
            </button>
          ))}
        </div>
        <label>
          Search{" "}
          <input
            type="search"
            value={text.value}
            onInput={(e) => (text.value = (e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Status{" "}
          <select
            value={status.value}
            onChange={(e) =>
              status.value = (e.target as HTMLSelectElement).value as "any" | "ok" | "failed"}
          >
            <option value="any">any</option>
            <option value="ok">ok</option>
            <option value="failed">failed</option>
          </select>
        </label>
        <span class="muted live-state" aria-live="polite">
          <span class={`dot ${live.value ? "on" : ""}`} aria-hidden="true" />
          {live.value ? "live" : "not live"}
        </span>
      </div>
      <p class="muted" aria-live="polite">{shown.length} of {rows.value.length} events shown</p>
      <DataTable
        columns={[
          "Time",
          "Kind",
          "Status",
          "From",
          "To",
          "What",
          <span class="sr-only" key="inspect">Inspect</span>,
        ]}
        testId="events"
        role="tabpanel"
      >
        {shown.map((r) => (
          <tr key={r.key} data-kind={r.kind}>
            <td>{formatTime(r.ts)}</td>
            <td>{r.kind}</td>
            <td>
              <span class={`badge ${r.ok ? "ok" : "bad"}`}>{r.ok ? "ok" : "failed"}</span>
            </td>
            <td>{r.source || "-"}</td>
            <td>{r.target || "-"}</td>
            <td class="summary">
              {r.error && !r.ok ? `${r.summary} (${r.error})` : r.summary}
            </td>
            <td>
              <button
                type="button"
                class="secondary"
                onClick={(e) => inspect(r, e.currentTarget as HTMLElement)}
              >
                Inspect<span class="sr-only">{` ${r.kind} event at ${r.ts}`}</span>
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      <dialog
        ref={dialog.ref}
        class="drawer"
        aria-labelledby="inspector-h"
        onClose={dialog.onClose}
      >
        {selected.value && (
          <div>
            <h2 id="inspector-h">
              {selected.value.kind} event, {formatTime(selected.value.ts)}
            </h2>
            <dl class="facts">
              {Object.entries(selected.value.details).map(([k, v]) => (
                <Fragment key={k}>
                  <dt>{k}</dt>
                  <dd>
                    <pre>{typeof v === "string" ? v : JSON.stringify(v, null, 2)}</pre>
                  </dd>
                </Fragment>
              ))}
            </dl>
            <button type="button" onClick={dialog.close} autofocus>Close</button>
          </div>
        )}
      </dialog>
    </div>
  );
}
