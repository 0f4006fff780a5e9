import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import type { CampaignDetail } from "../core/campaigns/load_campaign.ts";
import { DataTable } from "./data_table.tsx";
import { formatTime } from "./format_time.ts";
import { useLiveRead } from "./use_live_read.ts";

/** Props of {@linkcode LiveCampaign}. */
export interface LiveCampaignProps {
  /** The campaign as the server rendered it (`GET /api/v1/campaigns/{id}`). */
  campaign: CampaignDetail;
}

/**
 * A campaign's standing and members, kept current: an identity or
 * campaign event on the live feed (a run of the clusterer, an admin's
 * merge or split) wakes the island, which reads the campaign again (at
 * most once a second), so what it shows is always the API's.
 */
export function LiveCampaign(props: LiveCampaignProps): JSX.Element {
  const campaign = useSignal(props.campaign);
  const live = useLiveRead(
    campaign,
    `/api/v1/campaigns/${encodeURIComponent(props.campaign.id)}`,
    ["identity.>", "campaign.>"],
  );

  const c = campaign.value;
  return (
    <div>
      <p class="muted live-state" aria-live="polite">
        <span class={`dot ${live.value ? "on" : ""}`} aria-hidden="true" />
        {live.value ? "live" : "not live"}
      </p>
      {c.merged_into !== null && (
        <p data-testid="merged-chip">
          Merged into{" "}
          <a class="badge warn" href={`/campaigns/${encodeURIComponent(c.effective_id)}`}>
            {c.effective_id}
          </a>
          {c.merge_manual ? " (by an admin)" : " (by the clusterer)"}
        </p>
      )}
      <dl class="facts">
        <dt>Identities</dt>
        <dd data-testid="identity-count">{c.identities.length}</dd>
        <dt>Addresses</dt>
        <dd>{c.identities.reduce((n, i) => n + i.addresses.length, 0)}</dd>
        <dt>Confidence</dt>
        <dd>{Math.round(c.confidence * 100)}%</dd>
        <dt>First seen</dt>
        <dd>{formatTime(c.first_seen)}</dd>
        <dt>Last seen</dt>
        <dd>{formatTime(c.last_seen)}</dd>
        <dt>Made by</dt>
        <dd>{c.manual ? "an admin (split)" : "the clusterer"}</dd>
      </dl>
      <h2>Members</h2>
      {c.identities.length === 0
        ? <p class="empty">No identity is linked to it now.</p>
        : (
          <DataTable
            testId="campaign-members"
            columns={["Identity", "Addresses", "Last seen", "JA3", "HASSH", "Tools", "Linked to"]}
          >
            {c.identities.map((i) => (
              <tr key={i.id}>
                <td>
                  <a href={`/identities/${i.id}`}>
                    <code>{i.key}</code>
                  </a>
                  {i.pinned && <span class="badge">pinned</span>}
                </td>
                <td>{i.addresses.join(", ")}</td>
                <td>{formatTime(i.last_seen)}</td>
                <td>{(i.fingerprints.ja3 ?? []).length}</td>
                <td>{(i.fingerprints.hassh ?? []).length}</td>
                <td>{(i.fingerprints.tools ?? []).join(", ")}</td>
                <td>{i.campaign_id === c.id ? "-" : <code>{i.campaign_id}</code>}</td>
              </tr>
            ))}
          </DataTable>
        )}
    </div>
  );
}
