import type { JSX } from "preact";
import type { ServiceEventPayload } from "../../core/bus/mod.ts";
import { ServiceEventTable } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/**
 * Sensor events, newest first: live (with pause and a quick filter) when
 * unfiltered, a search over every stored event by command or request text.
 */
export function LogsPage(
  p: { user: AuthUser; events: ServiceEventPayload[]; total: number; q: string },
): JSX.Element {
  return (
    <PageLayout title="Logs" user={p.user} active="/logs">
      <h1>Sensor logs ({p.total})</h1>
      <form method="get" action="/logs" class="filters" role="search">
        <label>
          Command or request <input type="search" name="q" value={p.q} maxLength={200} />
        </label>
        <button type="submit">Search</button>
      </form>
      <section class="card">
        {p.q !== ""
          ? (p.events.length === 0
            ? <p class="empty">No sensor event matches.</p>
            : <ServiceEventTable events={p.events} />)
          : <Island name="LiveLogs" props={{ events: p.events, limit: 500 }} />}
      </section>
    </PageLayout>
  );
}
