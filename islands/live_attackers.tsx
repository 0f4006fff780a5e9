import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import type { AttackerPayload } from "../core/bus/mod.ts";
import { DataTable } from "./data_table.tsx";
import { formatTime } from "./format_time.ts";
import { useLiveRead } from "./use_live_read.ts";

/** Props of {@linkcode LiveAttackers}. */
export interface LiveAttackersProps {
  /** Attackers the server rendered, most recently seen first. */
  attackers: AttackerPayload[];
  /** Rows kept. */
  limit: number;
}

/**
 * Attackers, most recently seen first, kept current: a sensor event on the
 * live feed wakes the island, which reads the list again (at most once a
 * second), so the rows are always the API's.
 */
export function LiveAttackers(props: LiveAttackersProps): JSX.Element {
  const rows = useSignal(props.attackers);
  const live = useLiveRead(
    rows,
    `/api/v1/attackers?limit=${props.limit}`,
    ["service.*.*.event"],
    (body: { items: AttackerPayload[] }) => body.items,
  );

  return (
    <div>
      <p class="muted live-state" aria-live="polite">
        <span class={`dot ${live.value ? "on" : ""}`} aria-hidden="true" />
        {live.value ? "live" : "not live"}
      </p>
      {rows.value.length === 0
        ? <p class="empty">No attacker yet: nothing has touched a sensor.</p>
        : <AttackerTable attackers={rows.value} />}
    </div>
  );
}

/** Attackers as a table (the server's filtered list uses it too). */
export function AttackerTable(p: { attackers: AttackerPayload[] }): JSX.Element {
  return (
    <DataTable
      testId="attackers"
      columns={["Address", "Last seen", "First seen", "Events", "Credentials", "Commands", "Tools"]}
    >
      {p.attackers.map((a) => (
        <tr key={a.id}>
          <td>
            <a href={`/attackers/${a.id}`}>
              <code>{a.ip}</code>
            </a>
          </td>
          <td>{formatTime(a.last_seen)}</td>
          <td>{formatTime(a.first_seen)}</td>
          <td>{a.event_count}</td>
          <td>{a.credential_count}</td>
          <td>{a.command_count}</td>
          <td>{[...a.tools, ...a.client_idents].slice(0, 3).join(", ")}</td>
        </tr>
      ))}
    </DataTable>
  );
}
