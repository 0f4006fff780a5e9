import type { JSX } from "preact";
import type { CampaignPayload } from "../../core/bus/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode CampaignsPage}. */
export interface CampaignsPageProps {
  user: AuthUser;
  campaigns: CampaignPayload[];
  total: number;
  /** Whether campaigns merged into another are listed too. */
  merged: boolean;
  /** Whether lone identities (campaigns of one) are listed too. */
  singles: boolean;
}

/** Campaigns (identities working together), most recently active first. */
export function CampaignsPage(p: CampaignsPageProps): JSX.Element {
  return (
    <PageLayout title="Campaigns" user={p.user} active="/campaigns">
      <h1>Campaigns ({p.total})</h1>
      <form method="get" action="/campaigns" class="filters">
        <label>
          <input type="checkbox" name="singles" value="1" checked={p.singles} /> lone identities
        </label>
        <label>
          <input type="checkbox" name="merged" value="1" checked={p.merged} /> merged campaigns
        </label>
        <button type="submit">Filter</button>
      </form>
      <section class="card">
        {p.campaigns.length === 0 ? <p class="empty">No campaign matches.</p> : (
          <DataTable
            testId="campaigns"
            columns={[
              "Campaign",
              "Identities",
              "Addresses",
              "Confidence",
              "Last seen",
              "First seen",
              "Tools",
            ]}
          >
            {p.campaigns.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`/campaigns/${encodeURIComponent(c.id)}`}>
                    <code>{c.id}</code>
                  </a>
                  {c.merged_into !== null && (
                    <span class="badge warn">merged into {c.merged_into}</span>
                  )}
                  {c.manual && <span class="badge">manual</span>}
                </td>
                <td>{c.identity_count}</td>
                <td>{c.address_count}</td>
                <td>{Math.round(c.confidence * 100)}%</td>
                <td>{formatTime(c.last_seen)}</td>
                <td>{formatTime(c.first_seen)}</td>
                <td>{(c.fingerprints.tools ?? []).join(", ")}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </PageLayout>
  );
}
