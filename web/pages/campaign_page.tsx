import type { JSX } from "preact";
import type { CampaignDetail } from "../../core/campaigns/load_campaign.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { fingerprintLabel } from "./fingerprint_facts.tsx";
import { MAX_NOTES } from "../api/v1/campaigns.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode CampaignPage}: what `GET /api/v1/campaigns/{id}` answers. */
export interface CampaignPageProps {
  user: AuthUser;
  campaign: CampaignDetail;
}

/** Signals of one evidence edge, in the order the rules weigh them. */
const SIGNALS = ["handoff", "infra", "temporal", "cohort", "keystroke", "combined"] as const;

type Edge = { a: string; b: string } & Record<typeof SIGNALS[number], number>;

function isEdge(value: unknown): value is Edge {
  const v = value as Partial<Edge> | null;
  return typeof v === "object" && v !== null && typeof v.a === "string" &&
    typeof v.b === "string" && SIGNALS.every((s) => typeof v[s] === "number");
}

/**
 * One campaign: its standing and members (live), the evidence joining its
 * identities, the fingerprints they share, what was merged into it and
 * what admins did.
 */
export function CampaignPage(p: CampaignPageProps): JSX.Element {
  const c = p.campaign;
  const edges = c.evidence.filter(isEdge);
  const keyOf = new Map(c.identities.map((i) => [i.id, i.key]));
  return (
    <PageLayout title={`Campaign ${c.id}`} user={p.user} active="/campaigns">
      <p>
        <a href="/campaigns">Campaigns</a> /
      </p>
      <h1>
        Campaign <code>{c.id}</code>
      </h1>
      <section class="card">
        <Island name="LiveCampaign" props={{ campaign: c }} />
        {p.user.role === "admin"
          ? (
            <div class="form-grid">
              <form method="post" action={`/campaigns/${encodeURIComponent(c.id)}/notes`}>
                <label class="field">
                  Notes
                  <textarea name="notes" rows={3} maxLength={MAX_NOTES}>{c.notes}</textarea>
                </label>
                <button type="submit">Save notes</button>
              </form>
              {c.merged_into === null && (
                <form method="post" action={`/campaigns/${encodeURIComponent(c.id)}/merge`}>
                  <label class="field">
                    Merge into campaign
                    <input name="into" required pattern="[A-Za-z0-9_\-]{1,40}" />
                  </label>
                  <button type="submit" class="secondary">Merge</button>
                </form>
              )}
            </div>
          )
          : (
            <p>
              <strong>Notes:</strong> {c.notes === "" ? <span class="muted">none</span> : c.notes}
            </p>
          )}
      </section>
      <section class="card" aria-labelledby="groups-h">
        <h2 id="groups-h">Fingerprint groups</h2>
        {c.fingerprint_groups.length === 0
          ? <p class="empty">No fingerprint recorded.</p>
          : (
            <DataTable testId="fingerprint-groups" columns={["Kind", "Value", "Identities"]}>
              {c.fingerprint_groups.map((g) => (
                <tr key={`${g.kind}/${g.value}`}>
                  <td>{fingerprintLabel(g.kind)}</td>
                  <td>
                    <code>{g.value}</code>
                  </td>
                  <td>
                    {g.identities.map((id, n) => [
                      n > 0 ? ", " : "",
                      <a key={id} href={`/identities/${id}`}>
                        <code>{keyOf.get(id) ?? id}</code>
                      </a>,
                    ])}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
      </section>
      <section class="card" aria-labelledby="evidence-h">
        <h2 id="evidence-h">Evidence ({edges.length})</h2>
        {edges.length === 0
          ? <p class="empty">No edge: one identity, or an admin's grouping.</p>
          : (
            <DataTable
              testId="evidence"
              columns={[
                "Identity",
                "Identity",
                ...SIGNALS.map((s) => s[0].toUpperCase() + s.slice(1)),
              ]}
            >
              {edges.map((e) => (
                <tr key={`${e.a}/${e.b}`}>
                  <td>
                    <code>{e.a}</code>
                  </td>
                  <td>
                    <code>{e.b}</code>
                  </td>
                  {SIGNALS.map((s) => <td key={s}>{e[s].toFixed(2)}</td>)}
                </tr>
              ))}
            </DataTable>
          )}
      </section>
      {c.merged.length > 0 && (
        <section class="card" aria-labelledby="merged-h">
          <h2 id="merged-h">Merged into this one ({c.merged.length})</h2>
          <ul data-testid="merged">
            {c.merged.map((m) => (
              <li key={m.id}>
                <a href={`/campaigns/${encodeURIComponent(m.id)}`}>
                  <code>{m.id}</code>
                </a>{" "}
                {m.merge_manual ? "by an admin" : "by the clusterer"}
              </li>
            ))}
          </ul>
        </section>
      )}
      {c.actions.length > 0 && (
        <section class="card" aria-labelledby="actions-h">
          <h2 id="actions-h">Manual actions</h2>
          <DataTable testId="actions" columns={["Time", "Admin", "Action", "Detail"]}>
            {c.actions.map((a, n) => (
              <tr key={n}>
                <td>{formatTime(a.at)}</td>
                <td>{a.actor}</td>
                <td>{a.action}</td>
                <td>
                  <code>{JSON.stringify(a.detail)}</code>
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
    </PageLayout>
  );
}
