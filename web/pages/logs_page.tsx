import type { JSX } from "preact";
import type { ServiceEventPayload } from "../../core/bus/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";
import { ServiceEventTable } from "./service_event_table.tsx";

/** Sensor events, newest first, searchable by command or request text. */
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
        {p.events.length === 0
          ? <p class="empty">No sensor event.</p>
          : <ServiceEventTable events={p.events} />}
      </section>
    </PageLayout>
  );
}
