import type { IdentityCluster, IdentityLink } from "./cluster_observations.ts";
import type { Observation } from "./observation.ts";
import { compareText } from "./compare_text.ts";
import { normalizeFingerprint } from "./normalize_fingerprint.ts";
import { UnionFind } from "./union_find.ts";

/** Identities, sorted by key, and each observation's identity (index into them). */
export interface IdentityPartition {
  identities: IdentityCluster[];
  identityOf: Int32Array;
}

/**
 * The identity layer: observations of one address are one identity, and
 * two addresses are one identity when they share at least one JA3 and at
 * least one HASSH (then transitively). Nothing else merges: credentials,
 * ASN, tools and TCP fingerprints are shared by strangers.
 *
 * Blocking: "share a JA3 and a HASSH" is the same as "share a (JA3, HASSH)
 * pair from each one's cross product", so every address is indexed under
 * its pairs and each index entry's addresses are joined in a line: linear
 * in the sum of |JA3|·|HASSH| per address, no pair scan.
 */
export function clusterIdentities(observations: readonly Observation[]): IdentityPartition {
  const byIp = new Map<string, number[]>();
  observations.forEach((o, i) => {
    const list = byIp.get(o.ip);
    if (list) list.push(i);
    else byIp.set(o.ip, [i]);
  });
  const ips = [...byIp.keys()].sort(compareText);
  const index = new Map<string, number[]>();
  ips.forEach((ip, a) => {
    const ja3 = new Set<string>(), hassh = new Set<string>();
    for (const i of byIp.get(ip)!) {
      for (const j of observations[i].ja3 ?? []) ja3.add(normalizeFingerprint(j));
      for (const h of observations[i].hassh ?? []) hassh.add(normalizeFingerprint(h));
    }
    ja3.delete("");
    hassh.delete("");
    for (const j of ja3) {
      for (const h of hassh) {
        const key = `${j}\u0000${h}`;
        const list = index.get(key);
        if (list) list.push(a);
        else index.set(key, [a]);
      }
    }
  });
  const sets = new UnionFind(ips.length);
  const links: IdentityLink[] = [];
  for (const key of [...index.keys()].sort(compareText)) {
    const members = index.get(key)!;
    const [ja3, hassh] = key.split("\u0000");
    for (let k = 1; k < members.length; k++) {
      if (sets.union(members[0], members[k])) {
        links.push({ a: ips[members[0]], b: ips[members[k]], ja3, hassh });
      }
    }
  }
  // ips are sorted, so the first address met for a root is its smallest: the key.
  const byRoot = new Map<
    number,
    { ips: string[]; observations: number[]; links: IdentityLink[] }
  >();
  ips.forEach((ip, a) => {
    const root = sets.find(a);
    const group = byRoot.get(root) ?? { ips: [], observations: [], links: [] };
    byRoot.set(root, group);
    group.ips.push(ip);
    group.observations.push(...byIp.get(ip)!);
  });
  const rootOfIp = new Map(ips.map((ip, a) => [ip, sets.find(a)]));
  for (const link of links) byRoot.get(rootOfIp.get(link.a)!)!.links.push(link);
  const identities = [...byRoot.values()].map((g) => ({
    key: g.ips[0],
    ips: g.ips,
    observations: g.observations.sort((x, y) => x - y),
    links: g.links,
  }));
  const identityOf = new Int32Array(observations.length);
  identities.forEach((identity, k) => {
    for (const i of identity.observations) identityOf[i] = k;
  });
  return { identities, identityOf };
}
