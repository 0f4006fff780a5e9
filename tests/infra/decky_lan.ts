import { buildOrCleanUp } from "./build_or_clean_up.ts";
import { findBinary } from "./find_binary.ts";
import { plugIntoBridge } from "./plug_into_bridge.ts";
import { type IpOutput, mustRunIp, runIp } from "./run_ip.ts";

/**
 * A decky network made of network namespaces: an attacker namespace and a
 * decky namespace joined either by a Linux bridge on this host (what Docker
 * makes for a bridge network) or by macvlan on a veth parent (the host
 * side of a macvlan network). The host side (bridge or parent) holds the
 * LAN's `.1`, as Docker's gateway and a LAN interface do. Traffic stays
 * between the namespaces the LAN made; `close()` removes everything.
 */
export interface DeckyLan extends AsyncDisposable {
  /** The host interface a sniffer captures on. */
  hostInterface: string;
  /** e.g. `10.204.17` (the /24's first three octets). */
  prefix: string;
  attackerIp: string;
  deckyIp: string;
  /** Runs argv in the attacker's namespace. */
  attacker(argv: string[]): Promise<IpOutput>;
  /** Starts argv in the attacker's namespace in the background (a listener); kill it when done. */
  spawnAttacker(argv: string[]): Deno.ChildProcess;
  /** Gives the decky namespace one more address of the LAN (another decky deployed). */
  addDeckyAddress(ip: string): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@linkcode createDeckyLan}. */
export interface DeckyLanOptions {
  /**
   * Whether the macvlan parent holds the LAN's `.1` (false: a parent given
   * to the deckies alone, with no address; only the fleet's config names it).
   * @default true
   */
  parentAddress?: boolean;
}

/**
 * Builds the LAN on a random /24 of 10.204.0.0/16: host side `.1`,
 * attacker `.2`, decky `.10`.
 */
export async function createDeckyLan(
  kind: "bridge" | "macvlan",
  options: DeckyLanOptions = {},
): Promise<DeckyLan> {
  // Never a /24 a host interface already holds (another test's LAN, or one a killed run left):
  // the sniffer would capture on that interface instead.
  const taken = new Set(
    Deno.networkInterfaces().filter((i) => i.family === "IPv4").map((i) =>
      i.address.split(".").slice(0, 3).join(".")
    ),
  );
  let id: number;
  do id = crypto.getRandomValues(new Uint16Array(1))[0] & 0x3fff; while (
    taken.has(`10.204.${id & 0xff}`)
  );
  const prefix = `10.204.${id & 0xff}`;
  const attackerNs = `dla${id}`;
  const deckyNs = `dld${id}`;
  const hostInterface = kind === "bridge" ? `dlb${id}` : `dlp${id}`;
  const attackerIp = `${prefix}.2`;
  const deckyIp = `${prefix}.10`;
  const links = [`dlb${id}`, `dlp${id}`, `dlx${id}`, `dly${id}`];
  const cleanup = async () => {
    for (const link of links) await runIp(["link", "del", link]);
    await runIp(["netns", "del", attackerNs]);
    await runIp(["netns", "del", deckyNs]);
  };
  const close = await buildOrCleanUp(async () => {
    await mustRunIp(["netns", "add", attackerNs]);
    await mustRunIp(["netns", "add", deckyNs]);
    for (const ns of [attackerNs, deckyNs]) await mustRunIp(["-n", ns, "link", "set", "lo", "up"]);
    if (kind === "bridge") {
      await mustRunIp(["link", "add", hostInterface, "type", "bridge"]);
      await mustRunIp(["addr", "add", `${prefix}.1/24`, "dev", hostInterface]);
      await mustRunIp(["link", "set", hostInterface, "up"]);
      // One veth per namespace, its host end a port of the bridge (as Docker plugs containers).
      for (
        const [ns, hostEnd, addr] of [[attackerNs, `dlx${id}`, attackerIp], [
          deckyNs,
          `dly${id}`,
          deckyIp,
        ]]
      ) {
        await plugIntoBridge(ns, hostEnd, hostInterface, `${addr}/24`);
      }
    } else {
      // The parent is a veth whose other end is the attacker's wire; the decky is a macvlan of it.
      await mustRunIp([
        "link",
        "add",
        hostInterface,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        attackerNs,
      ]);
      if (options.parentAddress ?? true) {
        await mustRunIp(["addr", "add", `${prefix}.1/24`, "dev", hostInterface]);
      }
      await mustRunIp(["link", "set", hostInterface, "up"]);
      await mustRunIp(["-n", attackerNs, "addr", "add", `${attackerIp}/24`, "dev", "eth0"]);
      await mustRunIp(["-n", attackerNs, "link", "set", "eth0", "up"]);
      await mustRunIp([
        "link",
        "add",
        `dlx${id}`,
        "link",
        hostInterface,
        "type",
        "macvlan",
        "mode",
        "bridge",
      ]);
      await mustRunIp(["link", "set", `dlx${id}`, "netns", deckyNs]);
      await mustRunIp(["-n", deckyNs, "link", "set", `dlx${id}`, "name", "eth0"]);
      await mustRunIp(["-n", deckyNs, "addr", "add", `${deckyIp}/24`, "dev", "eth0"]);
      await mustRunIp(["-n", deckyNs, "link", "set", "eth0", "up"]);
    }
  }, cleanup);
  return {
    hostInterface,
    prefix,
    attackerIp,
    deckyIp,
    attacker: (argv) => runIp(["netns", "exec", attackerNs, ...argv]),
    spawnAttacker: (argv) =>
      new Deno.Command(findBinary("ip")!, {
        args: ["netns", "exec", attackerNs, ...argv],
        stdout: "null",
        stderr: "null",
      }).spawn(),
    addDeckyAddress: (address) =>
      mustRunIp(["-n", deckyNs, "addr", "add", `${address}/24`, "dev", "eth0"]),
    close,
    [Symbol.asyncDispose]: close,
  };
}
