import type { JSX } from "preact";
import type { CanaryTokenRow } from "../../core/db/mod.ts";
import type { TriggerView } from "../api/v1/canary.ts";
import { formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode TokenPage}. */
export interface TokenPageProps {
  user: AuthUser;
  token: CanaryTokenRow;
  triggers: TriggerView[];
  triggerTotal: number;
}

/** One token: facts, admin actions (download, revoke), trigger history (live). */
export function TokenPage(p: TokenPageProps): JSX.Element {
  const t = p.token;
  return (
    <PageLayout title={`Token ${t.uuid.slice(0, 8)}`} user={p.user} active="/canary">
      <p>
        <a href="/canary">Canary tokens</a> /
      </p>
      <h1>
        Token <code>{t.uuid.slice(0, 8)}</code>
      </h1>
      <section class="card">
        {p.user.role === "admin"
          ? <Island name="TokenActions" props={{ uuid: t.uuid, state: t.state }} />
          : (
            <p>
              State: <span class={`badge ${t.state}`} data-testid="token-state">{t.state}</span>
            </p>
          )}
        <dl class="facts">
          <dt>Bait</dt>
          <dd>{t.generator ?? t.content_class ?? "upload"}</dd>
          <dt>Callback</dt>
          <dd>{t.kind}</dd>
          <dt>Decky</dt>
          <dd>{t.decky_name ?? "-"}</dd>
          <dt>Path</dt>
          <dd>
            <code>{t.placement_path ?? "-"}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(t.created_at)}</dd>
          <dt>Triggers</dt>
          <dd data-testid="trigger-count">{t.trigger_count}</dd>
          {t.suppressed_count > 0 && (
            <>
              <dt>Rolled up</dt>
              <dd data-testid="suppressed-count">
                {t.suppressed_count}{" "}
                <span class="muted">
                  (repeats and floods counted in rollup rows, not one row each)
                </span>
              </dd>
            </>
          )}
          {t.pruned_count > 0 && (
            <>
              <dt>Past retention</dt>
              <dd data-testid="pruned-count">
                {t.pruned_count} <span class="muted">(hits whose rows were removed)</span>
              </dd>
            </>
          )}
          {t.last_error && (
            <>
              <dt>Last error</dt>
              <dd class="error">{t.last_error}</dd>
            </>
          )}
        </dl>
      </section>
      <section class="card" aria-labelledby="history-h">
        <h2 id="history-h">Trigger history ({p.triggerTotal})</h2>
        <Island
          name="LiveTriggers"
          props={{
            tokenUuid: t.uuid,
            limit: 200,
            triggers: p.triggers,
          }}
        />
      </section>
    </PageLayout>
  );
}
