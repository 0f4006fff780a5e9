import { findBinary } from "./find_binary.ts";

/**
 * The argv prefix that runs a command inside network namespace `ns`
 * (`ip netns exec NS`, which execs it: the child's PID is the command's),
 * or nothing when `ns` is undefined.
 *
 * @example
 * ```ts
 * import { inNetns } from "./in_netns.ts";
 * const argv = [...inNetns("dnt7"), "true"];
 * await new Deno.Command(argv[0], { args: argv.slice(1) }).output();
 * ```
 */
export function inNetns(ns: string | undefined): string[] {
  return ns === undefined ? [] : [findBinary("ip")!, "netns", "exec", ns];
}
