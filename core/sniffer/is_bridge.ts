/** Where the kernel describes network interfaces (read to tell a bridge from a NIC). */
export const SYS_CLASS_NET = "/sys/class/net";

/**
 * Whether `iface` is a Linux bridge (sysfs lists a `bridge` folder for it).
 *
 * @example
 * ```ts
 * isBridge("docker0"); // true where Docker's default bridge exists
 * ```
 */
export function isBridge(iface: string): boolean {
  try {
    return Deno.statSync(`${SYS_CLASS_NET}/${iface}/bridge`).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
