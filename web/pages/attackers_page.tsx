import type { JSX } from "preact";
import type { AttackerPayload } from "../../core/bus/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode AttackersPage}. */
export interface AttackersPageProps {
  user: AuthUser;
  attackers: AttackerPayload[];
  total: number;
  /** The text filter in effect. */
  q: string;
}

/** Attackers, most recently seen first, with a text filter over address, usernames and commands. */
export function AttackersPage(p: AttackersPageProps): JSX.Element {
  return (
    <PageLayout title="Attackers" user={p.user} active="/attackers">
      <h1>Attackers ({p.total})</h1>
      <form method="get" action="/attackers" class="filters" role="search">
        <label>
          Search <input type="search" name="q" value={p.q} maxLength={200} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <section class="card">
        {p.attackers.length === 0
          ? <p class="empty">No attacker yet: nothing has touched a sensor.</p>
          : (
            <DataTable
              testId="attackers"
              columns={[
                "Address",
                "Last seen",
                "First seen",
                "Events",
                "Credentials",
                "Commands",
                "Tools",
              ]}
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
          )}
      </section>
    </PageLayout>
  );
}
