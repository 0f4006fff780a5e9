import type { JSX } from "preact";
import type { IdentityDetail } from "../../core/campaigns/load_identity.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { FingerprintFacts } from "./fingerprint_facts.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode IdentityPage}: what `GET /api/v1/identities/{id}` answers. */
export interface IdentityPageProps {
  user: AuthUser;
  identity: IdentityDetail;
}

/** One identity: its addresses, fingerprints, kill chain per decky and the records behind it. */
export function IdentityPage(p: IdentityPageProps): JSX.Element {
  const i = p.identity;
  const ttps = i.attackers.flatMap((a) =>
    Object.entries(a.ukc_phases).map(([decky, phases]) => ({ ip: a.ip, decky, phases }))
  );
  return (
    <PageLayout title={`Identity ${i.key}`} user={p.user} active="/identities">
      <p>
        <a href="/identities">Identities</a> /
      </p>
      <h1>
        Identity <code>{i.key}</code>
      </h1>
      <section class="card">
        <dl class="facts">
          <dt>Addresses</dt>
          <dd data-testid="address-count">{i.address_count}</dd>
          <dt>First seen</dt>
          <dd>{formatTime(i.first_seen)}</dd>
          <dt>Last seen</dt>
          <dd>{formatTime(i.last_seen)}</dd>
          <dt>Campaign</dt>
          <dd>
            {i.effective_campaign_id === null
              ? "-"
              : (
                <a href={`/campaigns/${encodeURIComponent(i.effective_campaign_id)}`}>
                  <code>{i.effective_campaign_id}</code>
                </a>
              )}
            {i.campaign_id !== i.effective_campaign_id && (
              <span class="muted">
                &nbsp;(linked to <code>{i.campaign_id}</code>, merged into it)
              </span>
            )}
            {i.pinned && <span class="badge">placed by an admin</span>}
          </dd>
          <dt>Notes</dt>
          <dd>{i.notes === "" ? "-" : i.notes}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="fp-h">
        <h2 id="fp-h">Fingerprints</h2>
        <FingerprintFacts fingerprints={i.fingerprints} />
      </section>
      <section class="card" aria-labelledby="ttp-h">
        <h2 id="ttp-h">Tactics (kill chain per decky)</h2>
        {ttps.length === 0
          ? <p class="empty">No kill chain phase seen.</p>
          : (
            <DataTable testId="ttps" columns={["Address", "Decky", "Phases, in the order seen"]}>
              {ttps.map((t) => (
                <tr key={`${t.ip}/${t.decky}`}>
                  <td>
                    <code>{t.ip}</code>
                  </td>
                  <td>{t.decky}</td>
                  <td>{t.phases.join(" → ")}</td>
                </tr>
              ))}
            </DataTable>
          )}
      </section>
      <section class="card" aria-labelledby="obs-h">
        <h2 id="obs-h">Observations ({i.attackers.length})</h2>
        <DataTable
          testId="observations"
          columns={["Address", "First seen", "Last seen", "Events", "Credentials", "Commands"]}
        >
          {i.attackers.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={`/attackers/${a.id}`}>
                  <code>{a.ip}</code>
                </a>
              </td>
              <td>{formatTime(a.first_seen)}</td>
              <td>{formatTime(a.last_seen)}</td>
              <td>{a.event_count}</td>
              <td>{a.credential_count}</td>
              <td>{a.command_count}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </PageLayout>
  );
}
