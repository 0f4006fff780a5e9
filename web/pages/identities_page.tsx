import type { JSX } from "preact";
import type { IdentityPayload } from "../../core/bus/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode IdentitiesPage}. */
export interface IdentitiesPageProps {
  user: AuthUser;
  identities: IdentityPayload[];
  total: number;
}

/** Identities (one actor behind one or more addresses), most recently seen first. */
export function IdentitiesPage(p: IdentitiesPageProps): JSX.Element {
  return (
    <PageLayout title="Identities" user={p.user} active="/identities">
      <h1>Identities ({p.total})</h1>
      <p class="muted">
        Addresses that share a TLS (JA3) and an SSH (HASSH) client fingerprint are one actor.
      </p>
      <section class="card">
        {p.identities.length === 0
          ? <p class="empty">No identity yet: the clusterer has no attacker to work on.</p>
          : (
            <DataTable
              testId="identities"
              columns={["Identity", "Addresses", "Last seen", "First seen", "Tools", "Campaign"]}
            >
              {p.identities.map((i) => (
                <tr key={i.id}>
                  <td>
                    <a href={`/identities/${i.id}`}>
                      <code>{i.key}</code>
                    </a>
                  </td>
                  <td>{i.address_count}</td>
                  <td>{formatTime(i.last_seen)}</td>
                  <td>{formatTime(i.first_seen)}</td>
                  <td>{(i.fingerprints.tools ?? []).join(", ")}</td>
                  <td>
                    {i.campaign_id === null
                      ? "-"
                      : (
                        <a href={`/campaigns/${encodeURIComponent(i.campaign_id)}`}>
                          <code>{i.campaign_id}</code>
                        </a>
                      )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
      </section>
    </PageLayout>
  );
}
