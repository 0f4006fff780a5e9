/**
 * Whether the network namespace of process `pid` has a TCP socket listening
 * on `port` (any address), read from `/proc/<pid>/net/tcp{,6}`: a readiness
 * probe for servers started inside a namespace this process cannot connect
 * into.
 *
 * @example
 * ```ts
 * import { processListens } from "./process_listens.ts";
 * await processListens(1234, 4222);
 * ```
 */
export async function processListens(pid: number, port: number): Promise<boolean> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["tcp", "tcp6"]) {
    const text = await Deno.readTextFile(`/proc/${pid}/net/${table}`).catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (state === "0A" && local?.endsWith(`:${hexPort}`)) return true;
    }
  }
  return false;
}
