/**
 * /etc/hosts as the Debian installer writes it for a host named `hostname`
 * (netcfg: the name on 127.0.1.1, then its IPv6 block), instead of Docker's
 * (`172.18.0.2 ws-01`, `fe00::0 ip6-localnet`).
 *
 * @param hostname The decky's host name.
 * @returns The file's text.
 * @example
 * ```ts
 * debianHostsFile("ws-01").split("\n")[1]; // "127.0.1.1\tws-01"
 * ```
 */
export function debianHostsFile(hostname: string): string {
  return `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n\n` +
    "# The following lines are desirable for IPv6 capable hosts\n" +
    "::1     localhost ip6-localhost ip6-loopback\n" +
    "ff02::1 ip6-allnodes\n" +
    "ff02::2 ip6-allrouters\n";
}
