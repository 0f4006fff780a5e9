/**
 * `host:port` of a swarm NATS URL (`tls://host:port`), as a worker's net
 * permission names it.
 *
 * @example
 * ```ts
 * import { swarmNatsAddress } from "./swarm_nats_address.ts";
 * swarmNatsAddress("tls://nats.example.net:4222"); // "nats.example.net:4222"
 * ```
 */
export function swarmNatsAddress(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port}`;
}
