import type { JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import type { WorkerHealthView } from "../app_deps.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Workers: health, uptime, last heartbeat, restarts; start/stop for admins (an island). */
export function WorkersPage(p: { user: AuthUser; workers: WorkerHealthView[] }): JSX.Element {
  return (
    <PageLayout title="Workers" user={p.user} active="/workers">
      <h1>Workers</h1>
      <div class="table-wrap">
        <Island
          name="WorkerTable"
          props={{
            workers: p.workers.map((w) => ({
              name: w.name,
              healthy: w.healthy,
              state: w.state,
              restarts: w.restarts,
              uptime_seconds: w.uptime_seconds,
              last_heartbeat: w.last_heartbeat,
            })),
            isAdmin: p.user.role === "admin",
            refreshMs: 10_000,
          }}
        />
      </div>
    </PageLayout>
  );
}
