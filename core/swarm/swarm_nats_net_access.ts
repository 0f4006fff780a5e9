import { isIP } from "node:net";

/**
 * The net permissions a worker needs to reach the swarm's nats-server at
 * `url` (`tls://host:port`). An address is granted with its port. A name is
 * granted whole, because Node's name lookup is checked as net access to the
 * name with no port, together with each address it resolves to now (with
 * the port), which the connection is then checked against; the supervisor
 * resolves it again before each spawn.
 *
 * @param url tls://host:port
 * @param lookup resolves a name to its addresses @default node:dns's lookup
 * @returns entries for a worker's `connect` needs
 * @example
 * ```ts
 * import { swarmNatsNetAccess } from "./swarm_nats_net_access.ts";
 * await swarmNatsNetAccess("tls://192.0.2.7:4222"); // ["192.0.2.7:4222"]
 * await swarmNatsNetAccess("tls://localhost:4222"); // ["localhost", "127.0.0.1:4222"]
 * ```
 */
export async function swarmNatsNetAccess(
  url: string,
  lookup: (name: string) => Promise<{ address: string; family: number }[]> = lookupAll,
): Promise<string[]> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return [`${hostname}:${port}`];
  const addresses = (await lookup(host)).map((a) =>
    a.family === 6 ? `[${a.address}]:${port}` : `${a.address}:${port}`
  );
  return [host, ...new Set(addresses)];
}

async function lookupAll(name: string): Promise<{ address: string; family: number }[]> {
  const { lookup } = await import("node:dns/promises");
  return await lookup(name, { all: true });
}
