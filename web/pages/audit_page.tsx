import type { JSX } from "preact";
import { AUDIT_ACTIONS } from "../../core/audit/mod.ts";
import type { AuditPayload } from "../../core/bus/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";

/** The audit page's filters, as the form and the pager links carry them. */
export interface AuditPageFilters {
  user?: string;
  action?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

/** The audit log for admins: who did what, when, on what and how it ended, filtered and paged. */
export function AuditPage(
  p: { user: AuthUser; entries: AuditPayload[]; total: number; filters: AuditPageFilters },
): JSX.Element {
  const f = p.filters;
  const link = (offset: number) => {
    const q = new URLSearchParams();
    for (const key of ["user", "action", "since", "until"] as const) {
      if (f[key]) q.set(key, f[key]);
    }
    q.set("offset", String(offset));
    return `/audit?${q}`;
  };
  return (
    <PageLayout title="Audit log" user={p.user} active="/audit" islands={false}>
      <h1>Audit log ({p.total})</h1>
      <form method="get" action="/audit" class="filters" role="search">
        <label>
          User <input type="text" name="user" value={f.user ?? ""} maxLength={64} />
        </label>
        <label>
          Action{" "}
          <select name="action">
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a} selected={a === f.action}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Since{" "}
          <input
            type="text"
            name="since"
            value={f.since ?? ""}
            placeholder="2026-11-18T14:00:00Z"
          />
        </label>
        <label>
          Until{" "}
          <input
            type="text"
            name="until"
            value={f.until ?? ""}
            placeholder="2026-11-19T00:00:00Z"
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      <section class="card">
        {p.entries.length === 0 ? <p class="empty">No recorded action matches.</p> : (
          <DataTable
            testId="audit"
            columns={["Time", "Who", "Action", "Target", "Outcome", "Details"]}
          >
            {p.entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{formatTime(e.occurred_at)}</td>
                <td>
                  {e.actor_kind === "cli" ? `cli (${e.os_user ?? "?"})` : e.actor}
                  {e.client_ip && <span class="muted">{` from ${e.client_ip}`}</span>}
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.target ?? "-"}</td>
                <td>
                  <span class={`badge ${e.outcome === "success" ? "ok" : "bad"}`}>
                    {e.outcome}
                  </span>
                </td>
                <td>
                  <AuditDetail detail={e.detail} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <nav aria-label="Pages" class="controls">
          {f.offset > 0 && <a href={link(Math.max(0, f.offset - f.limit))}>Newer</a>}
          {f.offset + p.entries.length < p.total && <a href={link(f.offset + f.limit)}>Older</a>}
        </nav>
      </section>
    </PageLayout>
  );
}

/** Longest detail shown inline; longer ones fold into a disclosure. */
const INLINE_DETAIL = 60;

function AuditDetail(p: { detail: AuditPayload["detail"] }): JSX.Element {
  const text = JSON.stringify(p.detail);
  if (text.length <= INLINE_DETAIL) return <code>{text}</code>;
  return (
    <details>
      <summary>
        <code>{`${text.slice(0, INLINE_DETAIL)}…`}</code>
      </summary>
      <pre>{JSON.stringify(p.detail, null, 2)}</pre>
    </details>
  );
}
