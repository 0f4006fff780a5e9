import type { AttackerRow, FingerprintSets } from "../db/mod.ts";

/**
 * What an attacker record shows an analyst about who it is and what it did:
 * JA3, HASSH, tools, network (`AS<n>`), endpoints named, payload hashes,
 * kill chain phases and the deckies it worked on. Empty kinds are left
 * out. Pure.
 *
 * @example
 * ```ts
 * import type { AttackerRow } from "../db/mod.ts";
 * declare const row: AttackerRow; // rollup.ja3 ["j1"], rollup.asn {asn: 64500, ...}
 * attackerFingerprints(row); // { asns: ["AS64500"], ja3: ["j1"] }
 * ```
 */
export function attackerFingerprints(attacker: AttackerRow): FingerprintSets {
  const r = attacker.rollup;
  const sets: FingerprintSets = {
    asns: r.asn ? [`AS${r.asn.asn}`] : [],
    c2: r.c2,
    deckies: Object.keys(r.ukc_phases),
    hassh: r.hassh,
    ja3: r.ja3,
    payload_hashes: r.payload_hashes,
    phases: [...new Set(Object.values(r.ukc_phases).flat())],
    tools: r.tools,
  };
  return Object.fromEntries(
    Object.entries(sets).filter(([, v]) => v.length > 0).map(([k, v]) => [k, [...v].sort()]),
  );
}
