/**
 * An absolute dashboard link for alerts: `path` (e.g. `/attackers/42`)
 * under the operator's base URL setting, which may carry a path prefix
 * (`https://soc.lan/decnet/` + `/attackers/42` -> `https://soc.lan/decnet/attackers/42`).
 *
 * @param baseUrl the dashboard's external URL (http or https)
 * @param path a page path starting with `/`
 * @returns the link
 * @throws {TypeError} when `baseUrl` is not an absolute http(s) URL
 * @example
 * ```ts
 * import { dashboardUrl } from "./dashboard_url.ts";
 * dashboardUrl("https://soc.lan/decnet", "/canary/5f0c1a52"); // "https://soc.lan/decnet/canary/5f0c1a52"
 * ```
 */
export function dashboardUrl(baseUrl: string, path: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new TypeError(
      `Cannot build a dashboard link: expected an absolute URL, got "${baseUrl}"`,
    );
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new TypeError(`Cannot build a dashboard link: expected http(s), got "${baseUrl}"`);
  }
  const prefix = base.pathname.replace(/\/+$/, "");
  const suffix = path.startsWith("/") ? path : `/${path}`;
  return `${base.origin}${prefix}${suffix}`;
}
