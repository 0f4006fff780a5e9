import { DataTable } from "./data_table.tsx";
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { formatTime } from "./format_time.ts";
import { apiFetch } from "./api_fetch.ts";
import { followLiveEvents } from "./live_stream.ts";
import type { DeckyView } from "../web/api/v1/fleet.ts";

/** Props of {@linkcode FleetTable}. */
export interface FleetTableProps {
  deckies: DeckyView[];
  /** Show only this host's deckies (its host_uuid, a swarm host's name). */
  host?: string;
}

/**
 * The fleet with state badges, updated live from `decky.*.state`
 * transitions; on every (re)connection it reloads the list from the API, so
 * nothing missed during a drop is lost and no row appears twice.
 */
export function FleetTable(props: FleetTableProps): JSX.Element {
  const rows = useSignal(props.deckies);
  const live = useSignal(false);

  useEffect(() =>
    followLiveEvents(["decky.*.state"], {
      onState: (on) => (live.value = on),
      onOpen: () => {
        const only = props.host ? `&host=${encodeURIComponent(props.host)}` : "";
        apiFetch<{ items: DeckyView[] }>(`/api/v1/fleet/deckies?limit=1000${only}`).then((body) => {
          rows.value = body.items;
        }).catch(() => {/* keep the rows we have */});
      },
      onEvent: (e) => {
        const p = e.payload;
        const host = String(p.host_uuid ?? "");
        if (props.host && host !== props.host) return;
        const name = String(p.decky ?? "");
        const state = String(p.to ?? "");
        const at = String(p.at ?? "");
        const i = rows.value.findIndex((r) =>
          r.name === name && (r.host_uuid === host || r.source !== "fleet")
        );
        if (i < 0) {
          rows.value = [...rows.value, {
            name,
            uuid: "",
            host_uuid: host,
            source: "fleet",
            ip: null,
            services: [],
            images: {},
            network: null,
            network_driver: null,
            os_persona: null,
            state,
            state_since: at,
          }];
        } else {
          const next = [...rows.value];
          next[i] = { ...next[i], state, state_since: at };
          rows.value = next;
        }
      },
    }), []);

  return (
    <div>
      <p class="muted live-state" aria-live="polite">
        <span class={`dot ${live.value ? "on" : ""}`} aria-hidden="true" />
        {live.value ? "live" : "not live"}
      </p>
      {rows.value.length === 0 ? <p class="empty">No decky deployed.</p> : (
        <DataTable
          columns={["Decky", "State", "Since", "Source", "IP", "Services", "OS persona"]}
        >
          {rows.value.map((d) => (
            <tr key={`${d.source}/${d.host_uuid}/${d.name}`} data-decky={d.name}>
              <th scope="row">
                <a href={`/fleet/${encodeURIComponent(d.name)}`}>
                  {d.name}
                </a>
              </th>
              <td>
                <span class={`badge ${d.state}`} data-testid="state">
                  {d.state.replace("_", " ")}
                </span>
              </td>
              <td>{formatTime(d.state_since)}</td>
              <td>{d.source}</td>
              <td>{d.ip ?? "-"}</td>
              <td>{d.services.join(", ") || "-"}</td>
              <td>{d.os_persona ?? "-"}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
