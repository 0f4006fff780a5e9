import type { JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import type { OrchestratorData } from "./orchestrator_data.ts";
import { PageLayout } from "./page_layout.tsx";

/** The orchestrator: failures in the last hour and the live event table. */
export function OrchestratorPage(p: { user: AuthUser; data: OrchestratorData }): JSX.Element {
  const failures = p.data.failuresLastHour;
  return (
    <PageLayout title="Orchestrator" user={p.user} active="/orchestrator">
      <h1>Orchestrator</h1>
      <p>
        Failures in the last hour:{" "}
        <span class={`badge ${failures ? "bad" : "ok"}`} data-testid="failures">{failures}</span>
      </p>
      <section class="card">
        <Island name="EventTable" props={{ rows: p.data.rows, limit: 300 }} />
      </section>
    </PageLayout>
  );
}
