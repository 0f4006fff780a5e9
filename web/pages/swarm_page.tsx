import type { JSX } from "preact";
import { isSwarmHostOnline, type SwarmHostView } from "../../core/swarm/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";

/** Swarm hosts for admins: state, online or offline by the last heartbeat, version, deckies. */
export function SwarmPage(
  p: { user: AuthUser; hosts: SwarmHostView[]; deckies: Record<string, number>; now: Date },
): JSX.Element {
  return (
    <PageLayout title="Swarm" user={p.user} active="/swarm" islands={false}>
      <h1>Swarm hosts ({p.hosts.length})</h1>
      <section class="card">
        {p.hosts.length === 0
          ? <p class="empty">No host enrolled: decnet swarm enroll NAME.</p>
          : (
            <DataTable
              testId="swarm-hosts"
              columns={["Host", "State", "Link", "Last heartbeat", "Version", "Deckies"]}
            >
              {p.hosts.map((h) => {
                const online = isSwarmHostOnline(h, p.now);
                const link = h.state === "enrolled" ? (online ? "online" : "offline") : "-";
                return (
                  <tr key={h.name} data-host={h.name} data-link={link}>
                    <td>
                      <a href={`/fleet?host=${encodeURIComponent(h.name)}`}>{h.name}</a>
                    </td>
                    <td>{h.state}</td>
                    <td>{link}</td>
                    <td>{h.last_heartbeat ? formatTime(h.last_heartbeat) : "never"}</td>
                    <td>{h.version ?? "-"}</td>
                    <td>{p.deckies[h.name] ?? 0}</td>
                  </tr>
                );
              })}
            </DataTable>
          )}
      </section>
    </PageLayout>
  );
}
