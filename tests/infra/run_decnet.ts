import { inNetns } from "./in_netns.ts";
import { decnetFromSource } from "./decnet_from_source.ts";

/** What one `decnet` run printed and returned. */
export interface DecnetRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode runDecnet}. */
export interface RunDecnetOptions {
  /** DECNET_HOME and working directory in one (what most tests want). */
  home?: string;
  /** Working directory (default: `home`, else this process's). */
  cwd?: string;
  /** Variables on top of this process's environment, whose own DECNET_* are dropped. */
  env?: Record<string, string>;
  /** Text or bytes on standard input (default: none). */
  stdin?: string | Uint8Array;
  /** Run it inside this network namespace (`ip netns exec`). */
  netns?: string;
}

/**
 * Runs `decnet ARGS` from source ({@linkcode decnetFromSource}) in a child
 * process, as an operator would,
 * with a clean DECNET_* environment (the caller's own settings never leak in).
 */
export async function runDecnet(
  args: string[],
  options: RunDecnetOptions = {},
): Promise<DecnetRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!k.startsWith("DECNET_")) env[k] = v;
  }
  if (options.home) env.DECNET_HOME = options.home;
  const argv = [...inNetns(options.netns), ...decnetFromSource()];
  const child = new Deno.Command(argv[0], {
    args: [...argv.slice(1), ...args],
    cwd: options.cwd ?? options.home,
    env: { ...env, ...options.env },
    clearEnv: true,
    stdin: options.stdin !== undefined ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    const input = options.stdin;
    await writer.write(typeof input === "string" ? new TextEncoder().encode(input) : input);
    await writer.close();
  }
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}
