import { findBinary } from "./find_binary.ts";
import { buildOrCleanUp } from "./build_or_clean_up.ts";
import { type IpOutput, mustRunIp, runIp } from "./run_ip.ts";

/** Two network namespaces joined by a veth pair, nothing in the host's namespace. */
export interface NetnsPair extends AsyncDisposable {
  /** The namespace that sends (the attacker). */
  client: { name: string; iface: string; address: string };
  /** The namespace that receives (the decky), where captures run. */
  server: { name: string; iface: string; address: string };
  /** Runs argv inside a namespace. */
  run(ns: "client" | "server", argv: string[]): Promise<IpOutput>;
  /** Starts argv inside a namespace as a child process (stdout/stderr piped). */
  spawn(ns: "client" | "server", argv: string[]): Deno.ChildProcess;
  close(): Promise<void>;
}

/** Options of {@linkcode createNetnsPair}. */
export interface NetnsPairOptions {
  /** More client addresses, from .10 up, for tests that send from several sources. @default 0 */
  extraClientAddresses?: number;
  /** The /24 to use, as "a.b.c." (namespaces are private, so any works). @default a random 10.204.x. */
  prefix?: string;
}

/**
 * Creates a client and a server namespace on one /24 (server .1, client .2).
 * Traffic between them never touches the host's network. `close()` deletes
 * both. Needs root (see `netnsUnavailable`).
 */
export async function createNetnsPair(options: NetnsPairOptions = {}): Promise<NetnsPair> {
  const random = crypto.getRandomValues(new Uint16Array(2));
  const tag = `${random[0] & 0xff}x${random[1] & 0xfff}`;
  const prefix = options.prefix ?? `10.204.${random[0] & 0xff}.`;
  const extraClientAddresses = options.extraClientAddresses ?? 0;
  const client = { name: `dnc${tag}`, iface: `dnca${tag}`, address: `${prefix}2` };
  const server = { name: `dns${tag}`, iface: `dnsa${tag}`, address: `${prefix}1` };
  // Deleting a namespace deletes the veth end inside it, and with it its peer.
  const cleanup = async () => {
    await runIp(["netns", "del", client.name]);
    await runIp(["netns", "del", server.name]);
  };
  const close = await buildOrCleanUp(async () => {
    await mustRunIp(["netns", "add", client.name]);
    await mustRunIp(["netns", "add", server.name]);
    await mustRunIp([
      "link",
      "add",
      client.iface,
      "netns",
      client.name,
      "type",
      "veth",
      "peer",
      "name",
      server.iface,
      "netns",
      server.name,
    ]);
    for (const end of [client, server]) {
      await mustRunIp(["-n", end.name, "addr", "add", `${end.address}/24`, "dev", end.iface]);
      await mustRunIp(["-n", end.name, "link", "set", end.iface, "up"]);
      await mustRunIp(["-n", end.name, "link", "set", "lo", "up"]);
    }
    for (let n = 0; n < extraClientAddresses; n++) {
      await mustRunIp([
        "-n",
        client.name,
        "addr",
        "add",
        `${prefix}${10 + n}/24`,
        "dev",
        client.iface,
      ]);
    }
  }, cleanup);
  const nsName = (ns: "client" | "server") => ns === "client" ? client.name : server.name;
  return {
    client,
    server,
    run: (ns, argv) => runIp(["netns", "exec", nsName(ns), ...argv]),
    spawn: (ns, argv) =>
      new Deno.Command(findBinary("ip")!, {
        args: ["netns", "exec", nsName(ns), ...argv],
        stdout: "piped",
        stderr: "piped",
      }).spawn(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
