import type { DockerClient } from "../docker/mod.ts";
import { shellScript } from "../docker/mod.ts";
import { ipv4ToNumber } from "./_ipv4.ts";

/**
 * Port of a sensor-served decky's own sshd: on its loopback for the
 * sensor's relay and, behind the gate, on its LAN address for the fleet's
 * own sessions (so its logs name the real peer).
 */
export const SSH_FLEET_PORT = 2222;

/**
 * What a decky's fleet port is: `unavailable` (its image has no `nft`, so no
 * gate and no fleet port), `closed` (gated, its sshd not listening on the
 * LAN address), `open` (gated, sshd listening there).
 */
export type FleetSshPort = "unavailable" | "closed" | "open";

/** Options for {@linkcode gateFleetSshPort}. */
export interface GateFleetSshPortOptions {
  /** Sources let through (added to those already let through). @default none */
  peers?: readonly string[];
  /** @default 20000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

// $1 the ruleset. A listener on the port (hex) of an address other than 127.0.0.1 in the
// namespace's /proc/net/tcp is sshd on the LAN address.
const SCRIPT = `command -v nft >/dev/null 2>&1 || exit 3
nft "$1" || exit 1
if grep -E ":${
  hex(SSH_FLEET_PORT)
} 00000000:0000 0A " /proc/net/tcp | grep -vq "^ *[0-9]*: 0100007F:"
then echo open; else echo closed; fi`;

/**
 * Puts the gate in front of a decky's fleet port, in the decky's network
 * namespace: SYNs to {@linkcode SSH_FLEET_PORT} from any source but `peers`
 * (and loopback) are dropped, so to anyone else the port is filtered. A
 * one-shot container of the decky's own image (its pristine `nft`, never
 * the decky's possibly altered copy) joins the namespace with NET_ADMIN,
 * loads the rules and is removed: the decky itself gets no capability, and
 * from inside it the rules cannot even be listed. Idempotent; peers add up.
 *
 * @param docker the Docker client
 * @param container any container of the decky (they share one namespace)
 * @param options sources to let through
 * @returns the fleet port's state
 * @throws {RangeError} naming a peer that is not an IPv4 address
 * @throws from core/docker when Docker refuses
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * declare const docker: DockerClient;
 * await gateFleetSshPort(docker, "ws-02", { peers: ["192.0.2.11"] }); // "open"
 * ```
 */
export async function gateFleetSshPort(
  docker: DockerClient,
  container: string,
  options: GateFleetSshPortOptions = {},
): Promise<FleetSshPort> {
  const peers = options.peers ?? [];
  for (const peer of peers) {
    if (ipv4ToNumber(peer) === undefined) {
      throw new RangeError(
        `Cannot gate the ssh fleet port: peer is not an IPv4 address, got "${peer}"`,
      );
    }
  }
  const call = { signal: options.signal, timeoutMs: options.timeoutMs ?? 20_000 };
  const decky = await docker.inspectContainer(container, call);
  if (!decky) throw new Error(`Cannot gate the ssh fleet port: no container ${container}`);
  const helper = `${container}-gate-${crypto.randomUUID().slice(0, 8)}`;
  const id = await docker.createContainer({
    ...call,
    image: decky.image,
    name: helper,
    entrypoint: ["sleep", "infinity"],
    cmd: [],
    user: "0",
    networkMode: `container:${decky.id}`,
    capAdd: ["NET_ADMIN"],
  });
  try {
    await docker.startContainer(id, call);
    const r = await docker.exec(id, shellScript(SCRIPT, [gateRules(peers)]), call);
    if (r.exitCode === 3) return "unavailable";
    if (r.exitCode !== 0) {
      const stderr = new TextDecoder().decode(r.stderr).trim().slice(0, 200);
      throw new Error(
        `Cannot gate the ssh fleet port of ${container}: exit ${r.exitCode}, got "${stderr}"`,
      );
    }
    return new TextDecoder().decode(r.stdout).trim() === "open" ? "open" : "closed";
  } finally {
    await docker.removeContainer(id, { force: true });
  }
}

/**
 * The nftables commands (one transaction) of the gate: Debian's usual `inet
 * filter` table, its input chain holding only this rule.
 */
function gateRules(peers: readonly string[]): string {
  return [
    "add table inet filter",
    "add set inet filter ssh_peers { type ipv4_addr; }",
    "add chain inet filter input { type filter hook input priority 0; policy accept; }",
    "flush chain inet filter input",
    `add rule inet filter input iifname != "lo" tcp dport ${SSH_FLEET_PORT} ip saddr != @ssh_peers drop`,
    ...(peers.length ? [`add element inet filter ssh_peers { ${peers.join(", ")} }`] : []),
  ].join("\n");
}

/** /proc/net/tcp's port column: four upper-case hex digits. */
function hex(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, "0");
}
