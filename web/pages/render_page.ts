import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/**
 * A full HTML document from a page's element tree.
 *
 * @example
 * ```ts
 * import { renderPage } from "./render_page.ts";
 * import { LoginPage } from "./login_page.tsx";
 * const html = renderPage(LoginPage({ next: "/fleet" })); // "<!doctype html><html…"
 * ```
 */
export function renderPage(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
