import type { JSX } from "preact";
import type { AttackerDetail } from "../../core/attackers/load_attacker.ts";
import { DataTable, formatTime, ServiceEventTable } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { CredentialTable } from "./credential_table.tsx";
import { PageLayout } from "./page_layout.tsx";
import { TcpStackPanel } from "./tcp_stack_panel.tsx";

/** Props of {@linkcode AttackerPage}: what `GET /api/v1/attackers/{id}` answers. */
export interface AttackerPageProps {
  user: AuthUser;
  attacker: AttackerDetail;
  /** The identity the clusterer put the address in, when it has run. */
  identity?: { id: number; key: string };
}

/** One attacker: what it touched, its TCP stack, kill chain, credentials, commands and timeline. */
export function AttackerPage(p: AttackerPageProps): JSX.Element {
  const a = p.attacker;
  const list = (items: string[]) => items.length === 0 ? "-" : items.join(", ");
  return (
    <PageLayout title={`Attacker ${a.ip}`} user={p.user} active="/attackers">
      <p>
        <a href="/attackers">Attackers</a> /
      </p>
      <h1>
        Attacker <code>{a.ip}</code>
      </h1>
      <section class="card">
        <dl class="facts">
          <dt>First seen</dt>
          <dd>{formatTime(a.first_seen)}</dd>
          <dt>Last seen</dt>
          <dd>{formatTime(a.last_seen)}</dd>
          <dt>Events</dt>
          <dd data-testid="event-count">{a.event_count}</dd>
          <dt>Sessions</dt>
          <dd>{a.sessions}</dd>
          <dt>Identity</dt>
          <dd>
            {p.identity
              ? (
                <a href={`/identities/${p.identity.id}`}>
                  <code>{p.identity.key}</code>
                </a>
              )
              : "-"}
          </dd>
          <dt>Network</dt>
          <dd>
            {a.asn
              ? `AS${a.asn.asn} ${a.asn.name}${a.asn.country ? ` (${a.asn.country})` : ""}`
              : "-"}
          </dd>
          <dt>Tools</dt>
          <dd>{list(a.tools)}</dd>
          <dt>Client idents</dt>
          <dd>{list(a.client_idents)}</dd>
          <dt>User agents</dt>
          <dd>{list(a.user_agents)}</dd>
          <dt>HASSH</dt>
          <dd>{list(a.hassh)}</dd>
          <dt>JA3</dt>
          <dd>{list(a.ja3)}</dd>
          <dt>Endpoints named</dt>
          <dd>{list(a.c2)}</dd>
          <dt>Payloads</dt>
          <dd>{list(a.payload_hashes)}</dd>
          <dt>TCP stack</dt>
          <dd>{a.tcp_fingerprint ? a.tcp_fingerprint.os_guess : "-"}</dd>
        </dl>
      </section>
      <TcpStackPanel snapshot={a.tcp_fingerprint} history={a.tcp_fingerprints} />
      <section class="card" aria-labelledby="touched-h">
        <h2 id="touched-h">Deckies and services</h2>
        <DataTable
          columns={["Decky", "Host", "Service", "Events", "First", "Last", "Kill chain"]}
        >
          {a.services.map((s) => (
            <tr key={`${s.decky}/${s.service}`}>
              <td>{s.decky}</td>
              <td>{s.host ?? "this host"}</td>
              <td>{s.service}</td>
              <td>{s.event_count}</td>
              <td>{formatTime(s.first_seen)}</td>
              <td>{formatTime(s.last_seen)}</td>
              <td>{(a.ukc_phases[s.decky] ?? []).join(" → ")}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section class="card" aria-labelledby="creds-h">
        <h2 id="creds-h">Credentials ({a.credentials.length})</h2>
        {a.credentials.length === 0
          ? <p class="empty">No credential tried.</p>
          : <CredentialTable credentials={a.credentials} />}
      </section>
      <section class="card" aria-labelledby="canary-h">
        <h2 id="canary-h">Canary tokens tripped ({a.canary_hits.length})</h2>
        {a.canary_hits.length === 0
          ? <p class="empty">No canary callback from this address.</p>
          : (
            <DataTable
              testId="canary-hits"
              columns={["Time", "Token", "Decky", "Channel", "Request"]}
            >
              {a.canary_hits.map((h) => (
                <tr key={h.id}>
                  <td>{formatTime(h.occurred_at)}</td>
                  <td>
                    <a href={`/canary/${h.token_uuid}`}>
                      <code>{h.token_uuid.slice(0, 8)}</code>
                    </a>{" "}
                    {h.token_kind}
                  </td>
                  <td>{h.decky_name ?? "-"}</td>
                  <td>{h.channel}</td>
                  <td>
                    <code>{h.dns_qname ?? `${h.method ?? ""} ${h.request_path ?? ""}`}</code>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
      </section>
      <section class="card" aria-labelledby="commands-h">
        <h2 id="commands-h">Commands ({a.command_count})</h2>
        {a.commands.length === 0
          ? <p class="empty">No command.</p>
          : (
            <pre data-testid="commands">{a.commands.join("\n")}{a.commands_dropped > 0 ? `\n… and ${a.commands_dropped} more` : ""}</pre>
          )}
      </section>
      <section class="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline (latest {a.events.items.length} of {a.events.total})</h2>
        <ServiceEventTable events={a.events.items} showSource={false} />
      </section>
    </PageLayout>
  );
}
