import { DataTable } from "./data_table.tsx";
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { formatTime } from "./format_time.ts";
import { followLiveEvents } from "./live_stream.ts";
import { mergeTrigger } from "./merge_trigger.ts";
import { triggerDetail } from "./trigger_detail.ts";
import type { TriggerView } from "../web/api/v1/canary.ts";

/** Props of {@linkcode LiveTriggers}. */
export interface LiveTriggersProps {
  triggers: TriggerView[];
  /** Rows kept (newest first). */
  limit: number;
  /** Only this token's triggers (a token's page); all when absent. */
  tokenUuid?: string;
}

/**
 * Recent canary triggers, updated live from `canary.*.triggered` (a
 * reconnection brings the triggers stored meanwhile).
 */
export function LiveTriggers(props: LiveTriggersProps): JSX.Element {
  const rows = useSignal(props.triggers);
  const live = useSignal(false);

  useEffect(() =>
    // A token's uuid is a valid topic token as it is (hex digits and dashes).
    followLiveEvents([`canary.${props.tokenUuid ?? "*"}.triggered`], {
      onState: (on) => (live.value = on),
      onEvent: (e) => {
        if (!e.topic.endsWith(".triggered")) return;
        if (props.tokenUuid && e.payload.token_uuid !== props.tokenUuid) return;
        // The payload is the row as the API lists it, plus the event's name.
        const { event: _event, ...trigger } = e.payload;
        rows.value = mergeTrigger(rows.value, trigger as TriggerView, props.limit);
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
                  <time dateTime={t.occurred_at}>{formatTime(t.occurred_at)}</time>
                </td>
                <td>
                  {t.src_ip}
                  {t.rollup_scope && " "}
                  {t.rollup_scope && (
                    <span
                      class="badge warn"
                      title={`${t.hit_count} hits counted in one row (${t.rollup_scope} rollup)`}
                    >
                      ×{t.hit_count}
                    </span>
                  )}
                </td>
                <td>
                  <code>{t.token_uuid.slice(0, 8)}</code> {t.token_kind}
                </td>
                <td>{t.decky_name ?? "-"}</td>
                <td>{triggerDetail(t)}</td>
              </tr>
            ))}
          </DataTable>
        )}
    </div>
  );
}
