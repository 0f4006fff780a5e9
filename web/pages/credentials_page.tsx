import type { JSX } from "preact";
import type { CredentialView } from "../../core/attackers/attacker_views.ts";
import type { AuthUser } from "../app_env.ts";
import { CredentialTable } from "./credential_table.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Every credential tried; admins see the secrets and the hashcat lines to copy. */
export function CredentialsPage(
  p: { user: AuthUser; credentials: CredentialView[]; total: number },
): JSX.Element {
  return (
    <PageLayout title="Credentials" user={p.user} active="/credentials">
      <h1>Credentials ({p.total})</h1>
      <section class="card">
        {p.credentials.length === 0
          ? <p class="empty">No credential tried yet.</p>
          : <CredentialTable credentials={p.credentials} />}
      </section>
    </PageLayout>
  );
}
