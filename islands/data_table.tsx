import type { AriaRole, ComponentChildren, JSX } from "preact";

/** Props of {@linkcode DataTable}. */
export interface DataTableProps {
  /** Column headings, in order; markup allowed (e.g. screen-reader-only text). */
  columns: ComponentChildren[];
  /** `data-testid` of the table. */
  testId?: string;
  /** ARIA role of the scrolling wrapper (e.g. `tabpanel`). */
  role?: AriaRole;
  /** The body rows. */
  children: ComponentChildren;
}

/**
 * The dashboard's data table: a horizontally scrolling wrapper (narrow
 * screens), column headings scoped for screen readers, and the rows.
 * Rendered on the server by pages and in the browser by islands alike.
 *
 * @example
 * ```tsx
 * import { DataTable } from "./data_table.tsx";
 * declare const rows: { name: string; state: string }[];
 * <DataTable columns={["Name", "State"]}>
 *   {rows.map((r) => <tr key={r.name}><td>{r.name}</td><td>{r.state}</td></tr>)}
 * </DataTable>;
 * ```
 */
export function DataTable(props: DataTableProps): JSX.Element {
  return (
    <div class="table-wrap" role={props.role}>
      <table class="data" data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map((heading, i) => <th scope="col" key={i}>{heading}</th>)}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
