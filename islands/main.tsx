// Browser entry (bundled by `deno task assets`): hydrates every island on the page
// from the props in its `<script type="application/json">` (data, which the CSP allows).
import { h, hydrate } from "preact";
import type { ComponentType } from "preact";
import { ISLANDS } from "./island_registry.ts";
import { ISLAND_ATTR, ISLAND_ROOT_ATTR } from "./island_markup.ts";

for (const wrapper of Array.from(document.querySelectorAll<HTMLElement>(`[${ISLAND_ATTR}]`))) {
  const name = wrapper.getAttribute(ISLAND_ATTR) as keyof typeof ISLANDS;
  const component = ISLANDS[name] as unknown as ComponentType<Record<string, unknown>> | undefined;
  const script = wrapper.querySelector<HTMLScriptElement>(
    ':scope > script[type="application/json"]',
  );
  const root = wrapper.querySelector<HTMLElement>(`:scope > [${ISLAND_ROOT_ATTR}]`);
  if (!component || !script || !root) continue;
  const props = JSON.parse(script.textContent ?? "{}") as Record<string, unknown>;
  hydrate(h(component, props), root);
}
