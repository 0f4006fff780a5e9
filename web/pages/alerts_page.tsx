import type { JSX } from "preact";
import type { AlertChannelView } from "../../core/alerts/alert_channel_view.ts";
import type { AlertDeliveryRecord, AlertRuleRecord } from "../../core/db/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode AlertsPage}. */
export interface AlertsPageProps {
  user: AuthUser;
  channels: AlertChannelView[];
  rules: AlertRuleRecord[];
  /** The newest deliveries (alert payloads left out). */
  deliveries: Omit<AlertDeliveryRecord, "payload">[];
  events: string[];
  severities: string[];
}

/** Alert channels, rules and recent deliveries; admins edit, viewers read. */
export function AlertsPage(p: AlertsPageProps): JSX.Element {
  const isAdmin = p.user.role === "admin";
  return (
    <PageLayout title="Alerts" user={p.user} active="/alerts">
      <h1>Alerts</h1>
      <section class="card">
        <h2>Channels</h2>
        <Island
          name="AlertChannels"
          props={{ channels: p.channels, isAdmin, testWaitMs: 30_000 }}
        />
      </section>
      <section class="card">
        <h2>Rules</h2>
        <Island
          name="AlertRules"
          props={{
            rules: p.rules,
            channels: p.channels.map((c) => ({ id: c.id, name: c.name })),
            events: p.events,
            severities: p.severities,
            isAdmin,
          }}
        />
      </section>
      <section class="card">
        <h2>Recent deliveries</h2>
        {p.deliveries.length === 0 ? <p class="empty">Nothing sent yet.</p> : (
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">Alert</th>
                <th scope="col">Channel</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {p.deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{d.created_at}</td>
                  <td>
                    <code>{d.alert_id}</code>
                  </td>
                  <td>{p.channels.find((c) => c.id === d.channel_id)?.name ?? d.channel_id}</td>
                  <td>{d.state}</td>
                  <td>{d.attempts}</td>
                  <td>{d.last_error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </PageLayout>
  );
}
