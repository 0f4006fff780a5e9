/**
 * Checks the NATS URL of a swarm (DECNET_SWARM_NATS_URL): `tls://host:port`,
 * since agents connect only over TLS.
 *
 * @returns the URL as given
 * @throws {SyntaxError} naming what was expected
 * @example
 * ```ts
 * import { parseSwarmNatsUrl } from "./swarm_nats_url.ts";
 * parseSwarmNatsUrl("tls://nats.lan:4222");
 * ```
 */
export function parseSwarmNatsUrl(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (
    !url || url.protocol !== "tls:" || !url.hostname || !url.port || url.username ||
    url.password || (url.pathname !== "" && url.pathname !== "/") || url.search || url.hash
  ) {
    throw new SyntaxError("expected tls://host:port");
  }
  return raw;
}
