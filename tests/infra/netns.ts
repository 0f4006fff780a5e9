import { buildOrCleanUp } from "./build_or_clean_up.ts";
import { type IpOutput, mustRunIp, runIp } from "./run_ip.ts";

// Callers import the skip check with the namespace they make.
export { netnsUnavailable } from "./run_ip.ts";

/** A network namespace joined to this host by a veth pair (a second test host). */
export interface TestNetns extends AsyncDisposable {
  name: string;
  /** This host's end of the link. */
  hostAddress: string;
  /** The namespace's address. */
  nsAddress: string;
  /** Runs argv inside the namespace. */
  run(argv: string[]): Promise<IpOutput>;
  close(): Promise<void>;
}

/**
 * Creates a namespace with a veth pair on a /30 of 10.203.0.0/16 chosen at
 * random (host .1, namespace .2), so tests can send traffic from an address
 * that is not loopback. `close()` deletes both.
 */
export async function createNetns(): Promise<TestNetns> {
  const id = crypto.getRandomValues(new Uint16Array(1))[0] & 0x3fff;
  const name = `dnt${id}`;
  const hostIf = `dnh${id}`;
  const nsIf = `dnn${id}`;
  const base = id * 4;
  const prefix = `10.203.${base >> 8}.`;
  const hostAddress = `${prefix}${(base & 0xff) + 1}`;
  const nsAddress = `${prefix}${(base & 0xff) + 2}`;
  const cleanup = async () => {
    await runIp(["link", "del", hostIf]);
    await runIp(["netns", "del", name]);
  };
  const close = await buildOrCleanUp(async () => {
    await mustRunIp(["netns", "add", name]);
    await mustRunIp(["link", "add", hostIf, "type", "veth", "peer", "name", nsIf]);
    await mustRunIp(["link", "set", nsIf, "netns", name]);
    await mustRunIp(["addr", "add", `${hostAddress}/30`, "dev", hostIf]);
    await mustRunIp(["link", "set", hostIf, "up"]);
    await mustRunIp(["-n", name, "addr", "add", `${nsAddress}/30`, "dev", nsIf]);
    await mustRunIp(["-n", name, "link", "set", nsIf, "up"]);
    await mustRunIp(["-n", name, "link", "set", "lo", "up"]);
  }, cleanup);
  return {
    name,
    hostAddress,
    nsAddress,
    run: (argv) => runIp(["netns", "exec", name, ...argv]),
    close,
    [Symbol.asyncDispose]: close,
  };
}
