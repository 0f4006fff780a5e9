/** The four names a server gives in its NTLMSSP CHALLENGE. */
export interface NtlmServerNames {
  netbiosComputer: string;
  netbiosDomain: string;
  dnsComputer: string;
  dnsDomain: string;
}

/**
 * A standalone server's names in NTLMSSP from its host name, as Windows and
 * Samba give them: the NetBIOS name (first label, upper case, at most 15
 * characters) also stands as the NetBIOS domain; the DNS domain is what
 * follows the first label.
 *
 * @param hostname the decky's host name (`files01` or `files01.corp.example`)
 * @returns the names, ready for `buildChallenge`
 * @example
 * ```ts
 * ntlmServerNames("Files01.corp.example");
 * // { netbiosComputer: "FILES01", netbiosDomain: "FILES01", dnsComputer: "files01.corp.example", dnsDomain: "corp.example" }
 * ```
 */
export function ntlmServerNames(hostname: string): NtlmServerNames {
  const host = hostname.toLowerCase();
  const [short, ...rest] = host.split(".");
  const netbios = short.slice(0, 15).toUpperCase();
  return {
    netbiosComputer: netbios,
    netbiosDomain: netbios,
    dnsComputer: host,
    dnsDomain: rest.join("."),
  };
}
