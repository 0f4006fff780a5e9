import { findBinary } from "./find_binary.ts";

/** What a finished `ip` (or a command it ran in a namespace) printed. */
export interface IpOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs iproute2's `ip` with args (stdin closed) and returns its exit code and
 * output; the namespace helpers also run commands in a namespace through it
 * (`ip netns exec <ns> ...`).
 *
 * @example
 * ```ts
 * import { runIp } from "./run_ip.ts";
 * const out = await runIp(["netns", "exec", "dnt7", "ip", "addr"]);
 * ```
 */
export async function runIp(args: string[]): Promise<IpOutput> {
  const out = await new Deno.Command(findBinary("ip")!, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/**
 * {@linkcode runIp}, for the steps that build a network.
 *
 * @throws {Error} naming the command and ip's stderr when it exits non-zero
 */
export async function mustRunIp(args: string[]): Promise<void> {
  const out = await runIp(args);
  if (out.code !== 0) throw new Error(`ip ${args.join(" ")} failed: ${out.stderr}`);
}

/** Why network namespaces cannot be made here (no iproute2, not root), or undefined. */
export function netnsUnavailable(): string | undefined {
  if (!findBinary("ip")) return "ip not installed (Debian package iproute2)";
  if (Deno.uid() !== 0) return "creating network namespaces needs root";
  return undefined;
}
