import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/**
 * A full HTML document from a page's element tree.
 *
 * @example
 * ```ts
 * return c.html(renderPage(<LoginPage />));
 * ```
 */
export function renderPage(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
