import type { JSX } from "preact";
import type { ServiceEventPayload } from "../core/bus/mod.ts";
import { DataTable } from "./data_table.tsx";
import { formatTime } from "./format_time.ts";

/**
 * Sensor events as a table. Everything in an event came from an attacker:
 * it is rendered as text only (Preact escapes it; nothing here is markup).
 */
export function ServiceEventTable(
  p: { events: ServiceEventPayload[]; showSource?: boolean },
): JSX.Element {
  return (
    <DataTable
      testId="service-events"
      columns={[
        "Time",
        ...(p.showSource === false ? [] : ["Source"]),
        "Decky",
        "Service",
        "Kind",
        "User",
        "Command / request",
      ]}
    >
      {p.events.map((e) => (
        <tr key={e.id}>
          <td>{formatTime(e.time)}</td>
          {p.showSource !== false && (
            <td>
              <code>{e.src_ip}</code>
            </td>
          )}
          <td>{e.decky}</td>
          <td>{e.service}</td>
          <td>{e.kind}</td>
          <td>{e.username ?? ""}</td>
          <td>
            <code>{e.text ?? ""}</code>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
