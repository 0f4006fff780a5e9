import type { Libc } from "./libpcap.ts";

/** POLLIN from <poll.h>. */
const POLLIN = 1;

/**
 * poll(2) over `fds` for reading, on a thread of its own (the event loop
 * keeps running); resolves with the descriptors that have something
 * (data, or an error to report), none on timeout.
 *
 * @example
 * ```ts
 * import type { Libc } from "./libpcap.ts";
 * import { pollFds } from "./poll_fds.ts";
 * declare const libc: Libc;
 * const ready = await pollFds(libc, { fds: [22], timeoutMs: 200 });
 * ```
 */
export async function pollFds(
  libc: Libc,
  { fds, timeoutMs }: { fds: readonly number[]; timeoutMs: number },
): Promise<number[]> {
  // struct pollfd { int fd; short events; short revents; }
  const table = new DataView(new ArrayBuffer(8 * Math.max(1, fds.length)));
  fds.forEach((fd, i) => {
    table.setInt32(i * 8, fd, true);
    table.setInt16(i * 8 + 4, POLLIN, true);
  });
  const n = await libc.poll(new Uint8Array(table.buffer), BigInt(fds.length), timeoutMs);
  // n < 0: interrupted by a signal (EINTR); the caller polls again.
  return n <= 0 ? [] : fds.filter((_, i) => table.getInt16(i * 8 + 6, true) !== 0);
}
