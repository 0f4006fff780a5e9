import { DataTable } from "./data_table.tsx";
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { formatTime } from "./format_time.ts";
import { followLiveEvents } from "./live_stream.ts";
import { mergeTriggerRow, triggerRowFromEvent } from "./trigger_row.ts";
import type { TriggerRow } from "./trigger_row.ts";

/** Props of {@linkcode LiveTriggers}. */
export interface LiveTriggersProps {
  triggers: TriggerRow[];
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
        rows.value = mergeTriggerRow(rows.value, triggerRowFromEvent(e.payload), props.limit);
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
                <td>
                  {t.srcIp}
                  {t.rollup && " "}
                  {t.rollup && (
                    <span
                      class="badge warn"
                      title={`${t.hits} hits counted in one row (${t.rollup} rollup)`}
                    >
                      ×{t.hits}
                    </span>
                  )}
                </td>
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
