import type { JSX } from "preact";
import type { CanaryBlobRow, CanaryTokenRow } from "../../core/db/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { CreateTokenFormProps } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { TokenTable } from "./token_table.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode CanaryPage}. */
export interface CanaryPageProps {
  user: AuthUser;
  tokens: CanaryTokenRow[];
  total: number;
  blobs: (CanaryBlobRow & { token_count: number })[];
  /** What the create form offers (admins only). */
  create: CreateTokenFormProps | null;
}

/** Canary tokens (state, trigger counts), the create form for admins, the blob library. */
export function CanaryPage(p: CanaryPageProps): JSX.Element {
  return (
    <PageLayout title="Canary tokens" user={p.user} active="/canary">
      <h1>Canary tokens</h1>
      <section class="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">Tokens ({p.total})</h2>
        {p.tokens.length === 0
          ? <p class="empty">No token yet.</p>
          : <TokenTable tokens={p.tokens} testId="tokens" />}
      </section>
      {p.create && (
        <section class="card" aria-labelledby="create-h">
          <h2 id="create-h">Create a token</h2>
          <Island name="CreateTokenForm" props={p.create} />
        </section>
      )}
      <section class="card" aria-labelledby="blobs-h">
        <h2 id="blobs-h">Blob library ({p.blobs.length})</h2>
        {p.blobs.length === 0
          ? <p class="empty">No uploaded document.</p>
          : (
            <DataTable columns={["File", "Type", "Size", "Tokens", "Uploaded"]}>
              {p.blobs.map((b) => (
                <tr key={b.uuid}>
                  <td>{b.filename}</td>
                  <td>{b.mime}</td>
                  <td>{(b.size / 1024).toFixed(1)} KB</td>
                  <td>{Number(b.token_count)}</td>
                  <td>{formatTime(b.created_at)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        {p.user.role === "admin" && <Island name="BlobUpload" props={{}} />}
      </section>
    </PageLayout>
  );
}
