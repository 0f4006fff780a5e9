import type { CampaignsRepository } from "../db/mod.ts";
import { attackerFingerprints } from "./attacker_fingerprints.ts";
import { foldActivityWindows } from "./fold_activity_windows.ts";
import type { Observation } from "./observation.ts";
import { observationFromAttacker } from "./observation_from_attacker.ts";
import type { ClusteringMember } from "./plan_clustering.ts";

/** Attacker records read together (one query each for their records, deckies and events). */
const CHUNK = 500;

/** Service events read per query while catching up on a chunk of sources. */
const ACTIVITY_PAGE = 10_000;

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
 * their credentials into a bounded set), a chunk of records per query,
 * so a run over a large database does not rescan it.
 *
 * @example
 * ```ts
 * import type { Repositories } from "../db/mod.ts";
 * declare const repos: Repositories;
 * const inputs = new AttackerObservations(repos.campaigns);
 * const { members, observations } = await inputs.refresh();
 * ```
 */
export class AttackerObservations {
  readonly #repo: CampaignsRepository;
  readonly #entries = new Map<number, Entry>();

  constructor(repo: CampaignsRepository) {
    this.#repo = repo;
  }

  /**
   * Reads what changed since the last refresh.
   *
   * @returns every record's member and observation (same order), and how many were re-read
   */
  async refresh(): Promise<
    { members: ClusteringMember[]; observations: Observation[]; changed: number }
  > {
    const versions = await this.#repo.attackerVersions();
    const live = new Set(versions.map((v) => v.id));
    for (const id of this.#entries.keys()) if (!live.has(id)) this.#entries.delete(id);
    const changed = versions.filter((v) => this.#entries.get(v.id)?.eventCount !== v.eventCount)
      .map((v) => v.id);
    for (let k = 0; k < changed.length; k += CHUNK) {
      await this.#read(changed.slice(k, k + CHUNK));
    }
    const entries = [...this.#entries.values()];
    return {
      members: entries.map((e) => e.member),
      observations: entries.map((e) => e.observation),
      changed: changed.length,
    };
  }

  async #read(ids: number[]): Promise<void> {
    const rows = await this.#repo.attackersByIds(ids);
    const deckies = await this.#repo.attackerDeckies(ids);
    const state = new Map(rows.map((row) => {
      const previous = this.#entries.get(row.id);
      return [row.ip, {
        times: [] as number[],
        credentials: previous?.credentials ?? new Map<string, [string, string]>(),
        lastEventId: previous?.lastEventId ?? 0,
      }];
    }));
    // From the chunk's oldest position; each source skips what it already read.
    let after = Math.min(...[...state.values()].map((s) => s.lastEventId));
    for (;;) {
      const page = await this.#repo.sourceActivity([...state.keys()], after, ACTIVITY_PAGE);
      for (const e of page) {
        const s = state.get(e.ip)!;
        if (e.id <= s.lastEventId) continue;
        s.lastEventId = e.id;
        s.times.push(Date.parse(e.time));
        if (e.credential && s.credentials.size < CREDENTIAL_LIMIT) {
          s.credentials.set(`${e.credential[0]}\u0000${e.credential[1]}`, e.credential);
        }
      }
      if (page.length < ACTIVITY_PAGE) break;
      after = page.at(-1)!.id;
    }
    for (const row of rows) {
      const s = state.get(row.ip)!;
      const windows = foldActivityWindows(this.#entries.get(row.id)?.windows ?? [], s.times);
      this.#entries.set(row.id, {
        eventCount: row.eventCount,
        member: {
          attackerId: row.id,
          ip: row.ip,
          firstSeen: row.firstSeen,
          lastSeen: row.lastSeen,
          fingerprints: attackerFingerprints(row),
        },
        observation: observationFromAttacker(row, {
          services: deckies.get(row.id) ?? [],
          sessions: windows.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]),
          credentials: [...s.credentials.values()],
        }),
        windows,
        credentials: s.credentials,
        lastEventId: s.lastEventId,
      });
    }
  }
}
