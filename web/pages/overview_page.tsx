import type { JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import { ActivityChart } from "./activity_chart.tsx";
import { Island } from "./island.tsx";
import { type OverviewData, RECENT_TRIGGERS } from "./overview_data.ts";
import { PageLayout } from "./page_layout.tsx";

/** The overview: deckies by state, worker health, recent triggers, activity, LLM breaker. */
export function OverviewPage(p: { user: AuthUser; data: OverviewData }): JSX.Element {
  const { data } = p;
  return (
    <PageLayout title="Overview" user={p.user} active="/">
      <h1>Overview</h1>
      <div class="grid">
        <section class="card" aria-labelledby="deckies-h">
          <h2 id="deckies-h">Deckies ({data.deckyTotal})</h2>
          <ul class="stat-list">
            {data.deckiesByState.map((s) => (
              <li key={s.state} data-state={s.state}>
                <strong>{s.count}</strong>
                <span class={`badge ${s.state}`}>{s.state.replace("_", " ")}</span>
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="workers-h">
          <h2 id="workers-h">Workers</h2>
          {data.workers.length === 0
            ? <p class="empty">No worker has reported yet.</p>
            : (
              <ul class="stat-list">
                {data.workers.map((w) => (
                  <li key={w.name}>
                    {w.name}{" "}
                    <span class={`badge ${w.healthy ? "ok" : "bad"}`}>
                      {w.healthy ? "healthy" : w.state}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          <p>
            <a href="/workers">Worker details</a>
          </p>
        </section>
        <section class="card" aria-labelledby="llm-h">
          <h2 id="llm-h">LLM circuit breaker</h2>
          {data.llmBreaker
            ? <span class={`badge ${data.llmBreaker}`}>{data.llmBreaker.replace("_", " ")}</span>
            : <span class="badge unknown">not reported</span>}
        </section>
      </div>
      <section class="card" aria-labelledby="activity-h">
        <h2 id="activity-h">Orchestrator activity per hour</h2>
        <ActivityChart hours={data.activity} />
      </section>
      <section class="card" aria-labelledby="triggers-h">
        <h2 id="triggers-h">Recent canary triggers</h2>
        <Island name="LiveTriggers" props={{ triggers: data.triggers, limit: RECENT_TRIGGERS }} />
      </section>
    </PageLayout>
  );
}
