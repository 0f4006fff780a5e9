import type { JSX } from "preact";
import type { ListedDecky } from "../../core/db/mod.ts";
import { deckyView } from "../../core/fleet/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/**
 * The fleet: every decky with its state, updated live; `host` narrows it to
 * one host's deckies (of `hosts`, every host that has one).
 */
export function FleetPage(
  p: { user: AuthUser; deckies: ListedDecky[]; host?: string; hosts: string[] },
): JSX.Element {
  const shown = p.host === undefined ? p.deckies : p.deckies.filter((d) => d.hostUuid === p.host);
  return (
    <PageLayout title="Fleet" user={p.user} active="/fleet">
      <h1>Fleet</h1>
      {p.hosts.length > 1 && (
        <form method="get" action="/fleet" class="filters" role="search">
          <label>
            Host{" "}
            <select name="host">
              <option value="">all</option>
              {p.hosts.map((h) => <option key={h} value={h} selected={h === p.host}>{h}</option>)}
            </select>
          </label>
          <button type="submit">Filter</button>
        </form>
      )}
      <section class="card">
        <Island
          name="FleetTable"
          props={{
            deckies: shown.map(deckyView),
            ...(p.host === undefined ? {} : { host: p.host }),
          }}
        />
      </section>
    </PageLayout>
  );
}
