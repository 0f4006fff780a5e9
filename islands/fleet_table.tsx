import { DataTable } from "./data_table.tsx";
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { formatTime } from "./format_time.ts";
import { apiFetch } from "./api_fetch.ts";
import { followLiveEvents } from "./live_stream.ts";

/** One decky row of the fleet table. */
export interface DeckyRow {
  hostUuid: string;
  name: string;
  source: string;
  ip: string | null;
  services: string[];
  osPersona: string;
  state: string;
  stateSince: string;
}

/** A decky as `GET /api/v1/fleet/deckies` lists it. */
interface ApiDecky {
  name: string;
  source: string;
  host_uuid: string | null;
  ip: string | null;
  services: string[];
  os_persona: string | null;
  state: string;
  state_since: string;
}

/** Props of {@linkcode FleetTable}. */
export interface FleetTableProps {
  deckies: DeckyRow[];
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
    followLiveEvents(["decky"], {
      onState: (on) => (live.value = on),
      onOpen: () => {
        apiFetch<{ items: ApiDecky[] }>("/api/v1/fleet/deckies?limit=1000").then((body) => {
          rows.value = body.items.map((d) => ({
            hostUuid: d.host_uuid ?? "",
            name: d.name,
            source: d.source,
            ip: d.ip,
            services: d.services,
            osPersona: d.os_persona ?? "",
            state: d.state,
            stateSince: d.state_since,
          }));
        }).catch(() => {/* keep the rows we have */});
      },
      onEvent: (e) => {
        const p = e.payload;
        const host = String(p.host_uuid ?? "");
        const name = String(p.decky ?? "");
        const state = String(p.to ?? "");
        const at = String(p.at ?? "");
        const i = rows.value.findIndex((r) =>
          r.name === name && (r.hostUuid === host || r.source !== "fleet")
        );
        if (i < 0) {
          rows.value = [...rows.value, {
            hostUuid: host,
            name,
            source: "fleet",
            ip: null,
            services: [],
            osPersona: "",
            state,
            stateSince: at,
          }];
        } else {
          const next = [...rows.value];
          next[i] = { ...next[i], state, stateSince: at };
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
            <tr key={`${d.source}/${d.hostUuid}/${d.name}`} data-decky={d.name}>
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
              <td>{formatTime(d.stateSince)}</td>
              <td>{d.source}</td>
              <td>{d.ip ?? "-"}</td>
              <td>{d.services.join(", ") || "-"}</td>
              <td>{d.osPersona || "-"}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
