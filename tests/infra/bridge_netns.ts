import { buildOrCleanUp } from "./build_or_clean_up.ts";
import { plugIntoBridge } from "./plug_into_bridge.ts";
import { type IpOutput, mustRunIp, runIp } from "./run_ip.ts";

/** A network namespace plugged into an existing bridge: one more host on that LAN. */
export interface BridgeNetns extends AsyncDisposable {
  name: string;
  address: string;
  /** Runs argv inside the namespace. */
  run(argv: string[]): Promise<IpOutput>;
  close(): Promise<void>;
}

/**
 * Creates a namespace whose eth0 is a port of `bridge` (e.g. the `br-<id>`
 * Docker made for a network) with `address`/`prefixLength`: a machine on
 * the deckies' LAN that is not a decky. `close()` removes it.
 *
 * @example
 * ```ts
 * await using host = await createBridgeNetns("br-0123456789ab", "192.0.2.200/24");
 * await host.run(["ping", "-c", "1", "192.0.2.10"]);
 * ```
 */
export async function createBridgeNetns(bridge: string, cidr: string): Promise<BridgeNetns> {
  const id = crypto.getRandomValues(new Uint16Array(1))[0] & 0x3fff;
  const name = `dbn${id}`;
  const hostEnd = `dbv${id}`;
  const cleanup = async () => {
    await runIp(["link", "del", hostEnd]);
    await runIp(["netns", "del", name]);
  };
  const close = await buildOrCleanUp(async () => {
    await mustRunIp(["netns", "add", name]);
    await mustRunIp(["-n", name, "link", "set", "lo", "up"]);
    await plugIntoBridge(name, hostEnd, bridge, cidr);
  }, cleanup);
  return {
    name,
    address: cidr.split("/")[0],
    run: (argv) => runIp(["netns", "exec", name, ...argv]),
    close,
    [Symbol.asyncDispose]: close,
  };
}
