import type { AttackersRepository, CampaignsRepository } from "../db/mod.ts";
import { attackerFingerprints } from "./attacker_fingerprints.ts";
import { foldActivityWindows } from "./fold_activity_windows.ts";
import type { Observation } from "./observation.ts";
import { observationFromAttacker } from "./observation_from_attacker.ts";
import type { ClusteringMember } from "./plan_clustering.ts";

/** Service events read per query while catching up on one source. */
const ACTIVITY_PAGE = 5000;

/** Most distinct credentials kept per source (the rollup's bound). */
const CREDENTIAL_LIMIT = 100;

interface Entry {
  eventCount: number;
  member: ClusteringMember;
  observation: Observation;
  windows: [number, number][];
  credentials: Map<string, [string, string]>;
  lastEventId: number;
}

/**
 * Every attacker record as an observation, kept current incrementally:
 * each refresh reads the records whose event count moved and only the
 * service events stored since (their times fold into activity windows,
 * their credentials into a bounded set), so a run over a large database
 * does not rescan it.
 *
 * @example
 * ```ts
 * import type { Repositories } from "../db/mod.ts";
 * declare const repos: Repositories;
 * const inputs = new AttackerObservations(repos);
 * const { members, observations } = await inputs.refresh();
 * ```
 */
export class AttackerObservations {
  readonly #repos: { attackers: AttackersRepository; campaigns: CampaignsRepository };
  readonly #entries = new Map<number, Entry>();

  constructor(repos: { attackers: AttackersRepository; campaigns: CampaignsRepository }) {
    this.#repos = repos;
  }

  /**
   * Reads what changed since the last refresh.
   *
   * @returns every record's member and observation (same order), and how many were re-read
   */
  async refresh(): Promise<
    { members: ClusteringMember[]; observations: Observation[]; changed: number }
  > {
    const { attackers, campaigns } = this.#repos;
    const versions = await campaigns.attackerVersions();
    const live = new Set(versions.map((v) => v.id));
    for (const id of this.#entries.keys()) if (!live.has(id)) this.#entries.delete(id);
    const changed = versions.filter((v) => this.#entries.get(v.id)?.eventCount !== v.eventCount);
    for (const row of await campaigns.attackersByIds(changed.map((v) => v.id))) {
      const previous = this.#entries.get(row.id);
      let windows = previous?.windows ?? [];
      const credentials = previous?.credentials ?? new Map<string, [string, string]>();
      let lastEventId = previous?.lastEventId ?? 0;
      for (;;) {
        const page = await campaigns.sourceActivity(row.ip, lastEventId, ACTIVITY_PAGE);
        windows = foldActivityWindows(windows, page.times.map((t) => Date.parse(t)));
        for (const [user, secret] of page.credentials) {
          if (credentials.size >= CREDENTIAL_LIMIT) break;
          credentials.set(`${user}\u0000${secret}`, [user, secret]);
        }
        lastEventId = page.lastId;
        if (page.times.length < ACTIVITY_PAGE) break;
      }
      const services = await attackers.attackerServices(row.id);
      const observation = observationFromAttacker(row, {
        services,
        sessions: windows.map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()]),
        credentials: [...credentials.values()],
      });
      this.#entries.set(row.id, {
        eventCount: row.eventCount,
        member: {
          attackerId: row.id,
          ip: row.ip,
          firstSeen: row.firstSeen,
          lastSeen: row.lastSeen,
          fingerprints: attackerFingerprints(row),
        },
        observation,
        windows,
        credentials,
        lastEventId,
      });
    }
    const entries = [...this.#entries.values()];
    return {
      members: entries.map((e) => e.member),
      observations: entries.map((e) => e.observation),
      changed: changed.length,
    };
  }
}
