import type { NtlmServerNames } from "../ntlmssp/mod.ts";

/**
 * A Windows server's names in NTLMSSP from its host name: a workgroup
 * server (no dot) gives its computer name, upper case, as all four names;
 * a domain member (`srv01.corp.example`) gives its DNS names and the first
 * label of its domain as NetBIOS domain.
 *
 * @param hostname the decky's host name
 * @returns the names for `buildChallenge`
 * @example
 * ```ts
 * windowsServerNames("ts01").dnsComputer; // "TS01"
 * windowsServerNames("ts01.corp.example").netbiosDomain; // "CORP"
 * ```
 */
export function windowsServerNames(hostname: string): NtlmServerNames {
  const [short, ...rest] = hostname.split(".");
  const netbios = short.slice(0, 15).toUpperCase();
  if (rest.length === 0) {
    return {
      netbiosComputer: netbios,
      netbiosDomain: netbios,
      dnsComputer: netbios,
      dnsDomain: netbios,
    };
  }
  const dnsDomain = rest.join(".").toLowerCase();
  return {
    netbiosComputer: netbios,
    netbiosDomain: rest[0].slice(0, 15).toUpperCase(),
    dnsComputer: `${short.toLowerCase()}.${dnsDomain}`,
    dnsDomain,
  };
}
