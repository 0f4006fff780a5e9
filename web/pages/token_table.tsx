import type { JSX } from "preact";
import type { CanaryTokenRow } from "../../core/db/mod.ts";
import { DataTable, formatTime } from "../../islands/mod.ts";

/** Props of {@linkcode TokenTable}. */
export interface TokenTableProps {
  tokens: CanaryTokenRow[];
  /** Whether to show the decky column (not on a decky's own page). @default true */
  showDecky?: boolean;
  testId?: string;
}

/**
 * Canary tokens, one row each: link to the token page, bait, callback kind,
 * state, decky, placement, trigger count (with hits rolled up) and the last trigger.
 *
 * @example
 * ```tsx
 * import type { CanaryTokenRow } from "../../core/db/mod.ts";
 * import { TokenTable } from "./token_table.tsx";
 * declare const tokens: CanaryTokenRow[];
 * <TokenTable tokens={tokens} showDecky={false} />;
 * ```
 */
export function TokenTable(p: TokenTableProps): JSX.Element {
  const showDecky = p.showDecky ?? true;
  const columns = ["Token", "Bait", "Callback", "State"];
  if (showDecky) columns.push("Decky");
  columns.push("Path", "Triggers", "Last triggered");
  return (
    <DataTable columns={columns} testId={p.testId}>
      {p.tokens.map((t) => (
        <tr key={t.uuid} data-token={t.uuid}>
          <th scope="row">
            <a href={`/canary/${t.uuid}`}>
              <code>{t.uuid.slice(0, 8)}</code>
            </a>
          </th>
          <td>{t.generator ?? t.content_class ?? "upload"}</td>
          <td>{t.kind}</td>
          <td>
            <span class={`badge ${t.state}`}>{t.state}</span>
          </td>
          {showDecky && <td>{t.decky_name ?? "-"}</td>}
          <td>
            <code>{t.placement_path ?? "-"}</code>
          </td>
          <td>
            {t.trigger_count}
            {t.suppressed_count > 0 && (
              <span class="muted" title="hits counted in rollup rows">
                {` (${t.suppressed_count} rolled up)`}
              </span>
            )}
          </td>
          <td>{formatTime(t.last_triggered_at)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
