import { findBinary } from "./find_binary.ts";

/** A network namespace joined to this host by a veth pair (a second test host). */
export interface TestNetns extends AsyncDisposable {
  name: string;
  /** This host's end of the link. */
  hostAddress: string;
  /** The namespace's address. */
  nsAddress: string;
  /** Runs argv inside the namespace. */
  run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Why a namespace cannot be made here, or undefined when it can. */
export function netnsUnavailable(): string | undefined {
  if (!findBinary("ip")) return "ip not installed (Debian package iproute2)";
  if (Deno.uid() !== 0) return "creating a network namespace needs root";
  return undefined;
}

async function ip(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(findBinary("ip")!, { args, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

async function must(args: string[]): Promise<void> {
  const out = await ip(args);
  if (out.code !== 0) throw new Error(`ip ${args.join(" ")} failed: ${out.stderr}`);
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
    await ip(["link", "del", hostIf]);
    await ip(["netns", "del", name]);
  };
  try {
    await must(["netns", "add", name]);
    await must(["link", "add", hostIf, "type", "veth", "peer", "name", nsIf]);
    await must(["link", "set", nsIf, "netns", name]);
    await must(["addr", "add", `${hostAddress}/30`, "dev", hostIf]);
    await must(["link", "set", hostIf, "up"]);
    await must(["-n", name, "addr", "add", `${nsAddress}/30`, "dev", nsIf]);
    await must(["-n", name, "link", "set", nsIf, "up"]);
    await must(["-n", name, "link", "set", "lo", "up"]);
  } catch (e) {
    await cleanup();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= cleanup();
  return {
    name,
    hostAddress,
    nsAddress,
    run: (argv) => ip(["netns", "exec", name, ...argv]),
    close,
    [Symbol.asyncDispose]: close,
  };
}
