import type { Kysely, Transaction } from "kysely";
import { type Clock, isoTime, systemClock } from "../clock.ts";
import type { Database } from "../schema.ts";
import { type AttackerRow, fromAttackerRow } from "./attackers_repository.ts";
import { appendDomainEvents, type DomainEventInput } from "./_domain_events.ts";
import {
  campaignsMergedTo,
  chunks,
  effectiveCampaignId,
  fromCampaignRow,
  fromIdentityRow,
  requireCampaign,
  sameValues,
  saveMembers,
} from "./_campaign_storage.ts";
import {
  type ActivityRow,
  type CampaignAction,
  CampaignChangeError,
  type CampaignFilter,
  type CampaignRow,
  type ClusteredCampaign,
  type ClusteredIdentity,
  type IdentityFilter,
  type IdentityMember,
  type IdentityRow,
  type StoredClustering,
  unionSets,
} from "./campaign_records.ts";

/**
 * Identities and campaigns: what the clusterer writes (one transaction per
 * run), what the API reads, and the admins' manual merges, splits and
 * notes, which reclustering keeps.
 *
 * @example
 * ```ts
 * import type { CampaignsRepository } from "./campaigns_repository.ts";
 * declare const repo: CampaignsRepository;
 * const { items } = await repo.listCampaigns({ limit: 50, offset: 0 });
 * ```
 */
export class CampaignsRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Every attacker's id, address and event count: which records changed since a run read them. */
  async attackerVersions(): Promise<{ id: number; ip: string; eventCount: number }[]> {
    const rows = await this.#db.selectFrom("attackers").select(["id", "ip", "event_count"])
      .orderBy("id").execute();
    return rows.map((r) => ({ id: Number(r.id), ip: r.ip, eventCount: Number(r.event_count) }));
  }

  /** Attacker records by id (in id order; unknown ids are skipped). */
  async attackersByIds(ids: readonly number[]): Promise<AttackerRow[]> {
    const out: AttackerRow[] = [];
    for (const chunk of chunks(ids)) {
      const rows = await this.#db.selectFrom("attackers").selectAll().where("id", "in", chunk)
        .orderBy("id").execute();
      out.push(...rows.map(fromAttackerRow));
    }
    return out;
  }

  /**
   * The hostile service events from `ips` with an id above `afterId`, in id
   * order, at most `limit` (read on from the last id returned).
   */
  async sourceActivity(
    ips: readonly string[],
    afterId: number,
    limit: number,
  ): Promise<ActivityRow[]> {
    if (ips.length === 0) return [];
    const rows = await this.#db.selectFrom("service_events")
      .select(["id", "src_ip", "occurred_at", "kind", "username", "detail"])
      .where("src_ip", "in", [...ips]).where("benign", "=", 0).where("id", ">", afterId)
      .orderBy("id").limit(limit).execute();
    return rows.map((r) => {
      let credential: [string, string] | null = null;
      if (r.kind === "credential") {
        const detail = JSON.parse(r.detail) as { username?: unknown; secret?: unknown };
        credential = [
          typeof detail.username === "string" ? detail.username : r.username ?? "",
          typeof detail.secret === "string" ? detail.secret : "",
        ];
      }
      return { id: Number(r.id), ip: r.src_ip, time: r.occurred_at, credential };
    });
  }

  /** The deckies each attacker touched, with when (attacker_services), by attacker id. */
  async attackerDeckies(
    attackerIds: readonly number[],
  ): Promise<Map<number, { decky: string; first_seen: string; last_seen: string }[]>> {
    const out = new Map<number, { decky: string; first_seen: string; last_seen: string }[]>(
      attackerIds.map((id) => [id, []]),
    );
    for (const chunk of chunks(attackerIds)) {
      const rows = await this.#db.selectFrom("attacker_services")
        .select(["attacker_id", "decky", "first_seen", "last_seen"])
        .where("attacker_id", "in", chunk).execute();
      for (const r of rows) {
        out.get(Number(r.attacker_id))?.push({
          decky: r.decky,
          first_seen: r.first_seen,
          last_seen: r.last_seen,
        });
      }
    }
    return out;
  }

  /** The stored assignments, manual flags included (a clustering run's starting point). */
  async loadClustering(): Promise<StoredClustering> {
    const [identities, members, campaigns] = await Promise.all([
      this.#db.selectFrom("identities").select(["id", "key", "campaign_id", "pinned"])
        .orderBy("id").execute(),
      this.#db.selectFrom("identity_members").select(["attacker_id", "identity_id"])
        .orderBy("attacker_id").execute(),
      this.#db.selectFrom("campaigns").select(["id", "merged_into", "merge_manual", "manual"])
        .orderBy("id").execute(),
    ]);
    const byIdentity = new Map<number, number[]>();
    for (const m of members) {
      const list = byIdentity.get(Number(m.identity_id)) ?? [];
      list.push(Number(m.attacker_id));
      byIdentity.set(Number(m.identity_id), list);
    }
    return {
      identities: identities.map((i) => ({
        id: Number(i.id),
        key: i.key,
        campaignId: i.campaign_id,
        pinned: Number(i.pinned) === 1,
        attackerIds: byIdentity.get(Number(i.id)) ?? [],
      })),
      campaigns: campaigns.map((c) => ({
        id: c.id,
        mergedInto: c.merged_into,
        mergeManual: Number(c.merge_manual) === 1,
        manual: Number(c.manual) === 1,
      })),
    };
  }

  /**
   * Writes one clustering run in one transaction: identities by key (new
   * ones created, gone ones removed with their members), each attacker's
   * identity, and the campaigns (notes and manual flags kept; a merge an
   * admin made stays). Campaigns no identity refers to any more, that no
   * admin touched and that nothing is merged into, are removed. Rows that
   * did not change are not written. A pin or a merge an admin made while
   * the run was computing is kept (the clusterer never unpins nor undoes
   * a manual merge).
   *
   * `events` (campaigns formed and merged) are recorded in `domain_events`
   * in the same transaction, for the alerts worker.
   *
   * @returns the id of every identity, by key
   */
  async saveClustering(
    run: {
      identities: ClusteredIdentity[];
      campaigns: ClusteredCampaign[];
      events?: readonly DomainEventInput[];
    },
  ): Promise<Map<string, number>> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      const existing = new Map(
        (await trx.selectFrom("identities").selectAll().execute()).map((r) => [r.key, r]),
      );
      const ids = new Map<string, number>();
      const kept = new Set<number>();
      for (const identity of run.identities) {
        const values = {
          key: identity.key,
          first_seen: identity.firstSeen,
          last_seen: identity.lastSeen,
          address_count: identity.members.length,
          fingerprints: JSON.stringify(identity.fingerprints),
          campaign_id: identity.campaignId as string | null,
          pinned: identity.pinned ? 1 : 0,
        };
        const row = existing.get(identity.key) ??
          (identity.previousKey === undefined ? undefined : existing.get(identity.previousKey));
        if (row === undefined) {
          const result = await trx.insertInto("identities")
            .values({ ...values, notes: "", created_at: now, updated_at: now })
            .executeTakeFirst();
          ids.set(identity.key, Number(result.insertId));
          continue;
        }
        ids.set(identity.key, Number(row.id));
        kept.add(Number(row.id));
        // An admin pinned it after the run read the assignments: the pin wins.
        if (Number(row.pinned) === 1) {
          values.campaign_id = row.campaign_id;
          values.pinned = 1;
        }
        if (!sameValues(row, values)) {
          await trx.updateTable("identities").set({ ...values, updated_at: now })
            .where("id", "=", row.id).execute();
        }
      }
      const gone = [...existing.values()].map((r) => Number(r.id)).filter((id) => !kept.has(id));
      for (const chunk of chunks(gone)) {
        await trx.deleteFrom("identities").where("id", "in", chunk).execute();
      }
      await saveMembers(trx, run.identities, ids);
      await this.#saveCampaigns(trx, run.campaigns, now);
      await appendDomainEvents(trx, run.events ?? [], now);
      return ids;
    });
  }

  async #saveCampaigns(
    trx: Transaction<Database>,
    campaigns: ClusteredCampaign[],
    now: string,
  ): Promise<void> {
    const stored = new Map(
      (await trx.selectFrom("campaigns").selectAll().execute()).map((r) => [r.id, r]),
    );
    for (const c of campaigns) {
      const values = {
        first_seen: c.firstSeen,
        last_seen: c.lastSeen,
        identity_count: c.identityCount,
        address_count: c.addressCount,
        fingerprints: JSON.stringify(c.fingerprints),
        evidence: JSON.stringify(c.evidence),
        confidence: c.confidence,
      };
      const row = stored.get(c.id);
      if (row === undefined) {
        await trx.insertInto("campaigns").values({
          ...values,
          id: c.id,
          merged_into: c.mergedInto,
          merge_manual: 0,
          manual: 0,
          notes: "",
          created_at: now,
          updated_at: now,
        }).execute();
        continue;
      }
      const wanted = Number(row.merge_manual) === 1
        ? values
        : { ...values, merged_into: c.mergedInto };
      if (!sameValues(row, wanted)) {
        await trx.updateTable("campaigns").set({ ...wanted, updated_at: now })
          .where("id", "=", c.id).execute();
      }
    }
    const written = new Set(campaigns.map((c) => c.id));
    const orphans = (await trx.selectFrom("campaigns").select("id")
      .where("manual", "=", 0).where("merge_manual", "=", 0).where("notes", "=", "")
      .where((eb) =>
        eb.not(eb.exists(
          eb.selectFrom("identities").select("identities.id")
            .whereRef("identities.campaign_id", "=", "campaigns.id"),
        ))
      )
      .where((eb) =>
        eb.not(eb.exists(
          eb.selectFrom("campaigns as m").select("m.id").whereRef(
            "m.merged_into",
            "=",
            "campaigns.id",
          ),
        ))
      )
      .execute()).map((r) => r.id).filter((id) => !written.has(id));
    for (const chunk of chunks(orphans)) {
      await trx.deleteFrom("campaigns").where("id", "in", chunk).execute();
    }
  }

  /** Identities, most recently seen first, with the total matching. */
  async listIdentities(filter: IdentityFilter): Promise<{ items: IdentityRow[]; total: number }> {
    let query = this.#db.selectFrom("identities");
    if (filter.campaignIds !== undefined) {
      if (filter.campaignIds.length === 0) return { items: [], total: 0 };
      query = query.where("campaign_id", "in", filter.campaignIds);
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy("last_seen", "desc").orderBy("id", "desc").limit(filter.limit)
        .offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(fromIdentityRow), total: Number(count.n) };
  }

  /** One identity, or undefined. */
  async getIdentity(id: number): Promise<IdentityRow | undefined> {
    const row = await this.#db.selectFrom("identities").selectAll().where("id", "=", id)
      .executeTakeFirst();
    return row ? fromIdentityRow(row) : undefined;
  }

  /** The attacker records of identities, by identity id. */
  async identityMembers(identityIds: number[]): Promise<Map<number, IdentityMember[]>> {
    const out = new Map<number, IdentityMember[]>(identityIds.map((id) => [id, []]));
    for (const chunk of chunks(identityIds)) {
      const rows = await this.#db.selectFrom("identity_members").selectAll()
        .where("identity_id", "in", chunk).orderBy("ip").execute();
      for (const r of rows) {
        out.get(Number(r.identity_id))!.push({ attackerId: Number(r.attacker_id), ip: r.ip });
      }
    }
    return out;
  }

  /** The identity an attacker record belongs to, or undefined. */
  async identityOfAttacker(attackerId: number): Promise<number | undefined> {
    const row = await this.#db.selectFrom("identity_members").select("identity_id")
      .where("attacker_id", "=", attackerId).executeTakeFirst();
    return row ? Number(row.identity_id) : undefined;
  }

  /** Campaigns, most recently active first (merged ones only when asked), with the total. */
  async listCampaigns(filter: CampaignFilter): Promise<{ items: CampaignRow[]; total: number }> {
    let query = this.#db.selectFrom("campaigns");
    if (!filter.includeMerged) query = query.where("merged_into", "is", null);
    if (filter.minIdentities !== undefined) {
      query = query.where("identity_count", ">=", filter.minIdentities);
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy("last_seen", "desc").orderBy("id").limit(filter.limit)
        .offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(fromCampaignRow), total: Number(count.n) };
  }

  /** One campaign, or undefined. */
  async getCampaign(id: string): Promise<CampaignRow | undefined> {
    const row = await this.#db.selectFrom("campaigns").selectAll().where("id", "=", id)
      .executeTakeFirst();
    return row ? fromCampaignRow(row) : undefined;
  }

  /** Campaigns merged directly into `id`. */
  async mergedInto(id: string): Promise<CampaignRow[]> {
    const rows = await this.#db.selectFrom("campaigns").selectAll().where("merged_into", "=", id)
      .orderBy("id").execute();
    return rows.map(fromCampaignRow);
  }

  /**
   * Where `id` ends up: its merge links followed up to
   * {@linkcode MERGE_CHAIN_LIMIT} steps (a cycle stops where it repeats).
   */
  async effectiveCampaignId(id: string): Promise<string> {
    return await effectiveCampaignId(this.#db, id);
  }

  /** Every campaign whose merge links lead to `id`, `id` included. */
  async campaignsMergedTo(id: string): Promise<string[]> {
    return await campaignsMergedTo(this.#db, id);
  }

  /**
   * An admin merges `source` into `into`; reclustering never undoes it.
   *
   * @throws {CampaignChangeError} when either is unknown, they are one
   *   campaign, or `into` is already merged into `source`
   */
  async mergeCampaigns(source: string, into: string, actor: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await requireCampaign(trx, source, "path.id");
      await requireCampaign(trx, into, "body.into");
      const winner = await effectiveCampaignId(trx, into);
      if (winner === source || into === source) {
        throw new CampaignChangeError(
          "conflict",
          "body.into",
          `Cannot merge campaign ${source}: "${into}" is the same campaign or merged into it`,
        );
      }
      await trx.updateTable("campaigns")
        .set({ merged_into: into, merge_manual: 1, updated_at: isoTime(this.#clock()) })
        .where("id", "=", source).execute();
      await this.#record(trx, actor, "merge", source, { into });
    });
  }

  /**
   * An admin moves `identityIds` (members of `source`, through merges
   * too) into a new campaign `newId`, marked manual; the identities are
   * pinned there, so reclustering never moves them back.
   *
   * @throws {CampaignChangeError} when `source` is unknown or an identity is not one of its members
   */
  async splitCampaign(
    source: string,
    identityIds: number[],
    options: { newId: string; actor: string },
  ): Promise<CampaignRow> {
    const now = isoTime(this.#clock());
    await this.#db.transaction().execute(async (trx) => {
      await requireCampaign(trx, source, "path.id");
      const family = await campaignsMergedTo(trx, source);
      const rows = await trx.selectFrom("identities").selectAll().where("id", "in", identityIds)
        .execute();
      for (const id of identityIds) {
        const row = rows.find((r) => Number(r.id) === id);
        if (!row || row.campaign_id === null || !family.includes(row.campaign_id)) {
          throw new CampaignChangeError(
            "conflict",
            "body.identities",
            `Cannot split campaign ${source}: identity ${id} is not one of its members`,
          );
        }
      }
      const identities = rows.map(fromIdentityRow);
      const fingerprints = unionSets(identities.map((i) => i.fingerprints));
      await trx.insertInto("campaigns").values({
        id: options.newId,
        first_seen: identities.map((i) => i.firstSeen).sort()[0],
        last_seen: identities.map((i) => i.lastSeen).sort().at(-1)!,
        identity_count: identities.length,
        address_count: identities.reduce((n, i) => n + i.addressCount, 0),
        fingerprints: JSON.stringify(fingerprints),
        evidence: "[]",
        confidence: 1,
        merged_into: null,
        merge_manual: 0,
        manual: 1,
        notes: "",
        created_at: now,
        updated_at: now,
      }).execute();
      await trx.updateTable("identities")
        .set({ campaign_id: options.newId, pinned: 1, updated_at: now })
        .where("id", "in", identityIds).execute();
      await this.#record(trx, options.actor, "split", source, {
        identities: identityIds,
        into: options.newId,
      });
    });
    return (await this.getCampaign(options.newId))!;
  }

  /** An admin's notes on a campaign (recorded). Returns false when there is no such campaign. */
  async setCampaignNotes(id: string, notes: string, actor: string): Promise<boolean> {
    return await this.#db.transaction().execute(async (trx) => {
      const result = await trx.updateTable("campaigns")
        .set({ notes, updated_at: isoTime(this.#clock()) }).where("id", "=", id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await this.#record(trx, actor, "notes", id, { length: notes.length });
      return true;
    });
  }

  /** An admin's notes on an identity. Returns false when there is no such identity. */
  async setIdentityNotes(id: number, notes: string): Promise<boolean> {
    const result = await this.#db.updateTable("identities")
      .set({ notes, updated_at: isoTime(this.#clock()) }).where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The manual actions recorded on a campaign, newest first. */
  async campaignActions(id: string): Promise<CampaignAction[]> {
    const rows = await this.#db.selectFrom("campaign_actions").selectAll()
      .where("campaign_id", "=", id).orderBy("id", "desc").limit(200).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      campaignId: r.campaign_id,
      detail: JSON.parse(r.detail),
    }));
  }

  async #record(
    trx: Transaction<Database>,
    actor: string,
    action: CampaignAction["action"],
    campaignId: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await trx.insertInto("campaign_actions").values({
      at: isoTime(this.#clock()),
      actor,
      action,
      campaign_id: campaignId,
      detail: JSON.stringify(detail),
    }).execute();
  }
}
