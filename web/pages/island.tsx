import type { ComponentProps, JSX } from "preact";
import { ISLAND_ATTR, ISLAND_ROOT_ATTR, ISLANDS } from "../../islands/mod.ts";
import type { IslandName } from "../../islands/mod.ts";

/** Props of {@linkcode Island}: which island and its (JSON-safe) props. */
export interface IslandProps<N extends IslandName> {
  name: N;
  props: ComponentProps<typeof ISLANDS[N]>;
}

/**
 * Renders an island on the server inside its wrapper, with its props in a
 * `<script type="application/json">` (data, not script, so a strict CSP
 * allows it) for the browser bundle to hydrate from.
 */
export function Island<N extends IslandName>(p: IslandProps<N>): JSX.Element {
  const Component = ISLANDS[p.name] as unknown as (props: Record<string, unknown>) => JSX.Element;
  const wrapper = { [ISLAND_ATTR]: p.name };
  const root = { [ISLAND_ROOT_ATTR]: "" };
  return (
    <div {...wrapper}>
      <script
        type="application/json"
        dangerouslySetInnerHTML={{ __html: jsonForScript(p.props) }}
      />
      <div {...root}>
        <Component {...(p.props as unknown as Record<string, unknown>)} />
      </div>
    </div>
  );
}

/** JSON that cannot close its `<script>` element or start a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
