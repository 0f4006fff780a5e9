import type { JSX } from "preact";
import type { CanaryTokenRow, ListedDecky, SyntheticFileRow } from "../../core/db/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";
import { TokenTable } from "./token_table.tsx";

/** Props of {@linkcode DeckyPage}. */
export interface DeckyPageProps {
  user: AuthUser;
  decky: ListedDecky;
  files: SyntheticFileRow[];
  filesTotal: number;
  tokens: CanaryTokenRow[];
}

/** One decky: its facts, synthetic files (path, persona, class, edits, last modified) and tokens. */
export function DeckyPage(p: DeckyPageProps): JSX.Element {
  const d = p.decky;
  return (
    <PageLayout title={d.name} user={p.user} active="/fleet">
      <p>
        <a href="/fleet">Fleet</a> /
      </p>
      <h1>
        {d.name} <span class={`badge ${d.state}`}>{d.state.replace("_", " ")}</span>
      </h1>
      <section class="card">
        <dl class="facts">
          <dt>IP</dt>
          <dd>{d.ip ?? "-"}</dd>
          <dt>Services</dt>
          <dd>{d.services.join(", ") || "-"}</dd>
          <dt>OS persona</dt>
          <dd>{d.osPersona ?? "-"}</dd>
          <dt>Source</dt>
          <dd>{d.source}</dd>
          <dt>State since</dt>
          <dd>{formatTime(d.stateSince)}</dd>
          <dt>Host</dt>
          <dd>
            <code>{d.hostUuid}</code>
          </dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="files-h">
        <h2 id="files-h">Synthetic files ({p.filesTotal})</h2>
        {p.files.length === 0
          ? <p class="empty">No synthetic file yet.</p>
          : (
            <DataTable columns={["Path", "Persona", "Class", "Edits", "Last modified"]}>
              {p.files.map((f) => (
                <tr key={f.id}>
                  <td>
                    <code>{f.path}</code>
                  </td>
                  <td>{f.persona}</td>
                  <td>{f.content_class}</td>
                  <td>{f.edit_count}</td>
                  <td>{formatTime(f.last_modified)}</td>
                </tr>
              ))}
            </DataTable>
          )}
      </section>
      <section class="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">Canary tokens ({p.tokens.length})</h2>
        {p.tokens.length === 0
          ? <p class="empty">No token planted here.</p>
          : <TokenTable tokens={p.tokens} showDecky={false} />}
      </section>
    </PageLayout>
  );
}
