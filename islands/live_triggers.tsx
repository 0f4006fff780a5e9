import { DataTable } from "./data_table.tsx";
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { formatTime } from "./format_time.ts";
import { followLiveEvents } from "./live_stream.ts";

/** One canary trigger row. */
export interface TriggerRow {
  /** `token@time@source`: rows are deduplicated by it (server rows and live ones alike). */
  id: string;
  occurredAt: string;
  srcIp: string;
  tokenUuid: string;
  tokenKind: string | null;
  deckyName: string | null;
  detail: string;
}

/** Props of {@linkcode LiveTriggers}. */
export interface LiveTriggersProps {
  triggers: TriggerRow[];
  /** Rows kept (newest first). */
  limit: number;
  /** Only this token's triggers (a token's page); all when absent. */
  tokenUuid?: string;
}

/** Recent canary triggers, updated live from `canary.*.triggered`. */
export function LiveTriggers(props: LiveTriggersProps): JSX.Element {
  const rows = useSignal(props.triggers);
  const live = useSignal(false);

  useEffect(() =>
    followLiveEvents(["canary"], {
      onState: (on) => (live.value = on),
      onEvent: (e) => {
        if (!e.topic.endsWith(".triggered")) return;
        const p = e.payload;
        if (props.tokenUuid && p.token_uuid !== props.tokenUuid) return;
        const id = `${p.token_uuid}@${p.at}@${p.source_ip}`;
        if (rows.value.some((r) => r.id === id)) return;
        const row: TriggerRow = {
          id,
          occurredAt: String(p.at ?? ""),
          srcIp: String(p.source_ip ?? "-"),
          tokenUuid: String(p.token_uuid ?? ""),
          tokenKind: typeof p.kind === "string" ? p.kind : null,
          deckyName: typeof p.decky === "string" ? p.decky : null,
          detail: typeof p.detail === "string" ? p.detail : String(p.channel ?? ""),
        };
        rows.value = [row, ...rows.value].slice(0, props.limit);
      },
    }), []);

  return (
    <div>
      <p class="muted live-state" aria-live="polite">
        <span class={`dot ${live.value ? "on" : ""}`} aria-hidden="true" />
        {live.value ? "live" : "not live"}
      </p>
      {rows.value.length === 0
        ? <p class="empty">No trigger yet.</p>
        : (
          <DataTable columns={["Time", "Source", "Token", "Decky", "Request"]} testId="triggers">
            {rows.value.map((t) => (
              <tr key={t.id} data-trigger={t.id}>
                <td>
                  <time dateTime={t.occurredAt}>{formatTime(t.occurredAt)}</time>
                </td>
                <td>{t.srcIp}</td>
                <td>
                  <code>{t.tokenUuid.slice(0, 8)}</code> {t.tokenKind ?? ""}
                </td>
                <td>{t.deckyName ?? "-"}</td>
                <td>{t.detail}</td>
              </tr>
            ))}
          </DataTable>
        )}
    </div>
  );
}
