import type { JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import type { WorkerView } from "../api/v1/worker_views.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Workers: health, uptime, last heartbeat, restarts; start/stop for admins (an island). */
export function WorkersPage(p: { user: AuthUser; workers: WorkerView[] }): JSX.Element {
  return (
    <PageLayout title="Workers" user={p.user} active="/workers">
      <h1>Workers</h1>
      <div class="table-wrap">
        <Island
          name="WorkerTable"
          props={{
            workers: p.workers,
            isAdmin: p.user.role === "admin",
            refreshMs: 10_000,
          }}
        />
      </div>
    </PageLayout>
  );
}
