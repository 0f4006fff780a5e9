import type { JSX } from "preact";
import type { CredentialView } from "../../core/attackers/attacker_views.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";

/**
 * Credentials as a table; the secret column shows only when the views carry
 * secrets (admins), and hashcat lines are gathered in one read-only box to
 * copy whole.
 */
export function CredentialTable(p: { credentials: CredentialView[] }): JSX.Element {
  const admin = p.credentials.some((c) => c.secret !== undefined);
  const lines = p.credentials.flatMap((c) => c.hashcat_line ? [c.hashcat_line] : []);
  return (
    <>
      <DataTable
        testId="credentials"
        columns={[
          "Service",
          "Username",
          "Kind",
          ...(admin ? ["Secret"] : []),
          "Tries",
          "Last tried",
          "From",
        ]}
      >
        {p.credentials.map((c) => (
          <tr key={c.id}>
            <td>{c.service}</td>
            <td>
              <code>{c.domain ? `${c.domain}\\${c.username}` : c.username}</code>
            </td>
            <td>{c.secret_kind}</td>
            {admin && (
              <td>
                <code>
                  {c.secret_kind === "password" ? c.secret : `${c.secret?.slice(0, 32)}…`}
                </code>
              </td>
            )}
            <td>{c.count}</td>
            <td>{formatTime(c.last_seen)}</td>
            <td>
              <code>{c.last_src_ip}</code>
            </td>
          </tr>
        ))}
      </DataTable>
      {lines.length > 0 && (
        <details>
          <summary>Hashcat lines ({lines.length})</summary>
          <textarea readOnly rows={Math.min(lines.length, 10)} data-testid="hashcat-lines">
            {lines.join("\n")}
          </textarea>
        </details>
      )}
    </>
  );
}
