import type { Kysely, Selectable, Transaction } from "kysely";
import type { CampaignsTable, Database, IdentitiesTable } from "../schema.ts";
import {
  CampaignChangeError,
  type CampaignRow,
  type ClusteredIdentity,
  type IdentityRow,
  MERGE_CHAIN_LIMIT,
} from "./campaign_records.ts";

/** Moves only the attacker records whose identity changed. */
export async function saveMembers(
  trx: Transaction<Database>,
  identities: readonly ClusteredIdentity[],
  ids: ReadonlyMap<string, number>,
): Promise<void> {
  const stored = new Map(
    (await trx.selectFrom("identity_members").selectAll().execute())
      .map((r) => [Number(r.attacker_id), Number(r.identity_id)]),
  );
  const wanted = new Map<number, { attacker_id: number; identity_id: number; ip: string }>();
  for (const i of identities) {
    for (const m of i.members) {
      wanted.set(m.attackerId, {
        attacker_id: m.attackerId,
        identity_id: ids.get(i.key)!,
        ip: m.ip,
      });
    }
  }
  const stale = [...stored].filter(([a, i]) => wanted.get(a)?.identity_id !== i).map(([a]) => a);
  for (const chunk of chunks(stale)) {
    await trx.deleteFrom("identity_members").where("attacker_id", "in", chunk).execute();
  }
  const fresh = [...wanted.values()].filter((m) => stored.get(m.attacker_id) !== m.identity_id);
  for (const chunk of chunks(fresh)) {
    await trx.insertInto("identity_members").values(chunk).execute();
  }
}

/** Whether a stored row already holds `values` (numbers compared as numbers: MySQL may hand back strings). */
export function sameValues(row: Record<string, unknown>, values: Record<string, unknown>): boolean {
  return Object.entries(values).every(([k, v]) =>
    typeof v === "number" ? Number(row[k]) === v : row[k] === v
  );
}

export async function effectiveCampaignId(db: Kysely<Database>, id: string): Promise<string> {
  const seen = new Set([id]);
  let current = id;
  for (let step = 0; step < MERGE_CHAIN_LIMIT; step++) {
    const row = await db.selectFrom("campaigns").select("merged_into")
      .where("id", "=", current).executeTakeFirst();
    if (!row?.merged_into || seen.has(row.merged_into)) break;
    current = row.merged_into;
    seen.add(current);
  }
  return current;
}

export async function campaignsMergedTo(db: Kysely<Database>, id: string): Promise<string[]> {
  const found = [id];
  let frontier = [id];
  for (let step = 0; step < MERGE_CHAIN_LIMIT && frontier.length > 0; step++) {
    const rows = await db.selectFrom("campaigns").select("id")
      .where("merged_into", "in", frontier).execute();
    frontier = rows.map((r) => r.id).filter((c) => !found.includes(c));
    found.push(...frontier);
  }
  return found;
}

export async function requireCampaign(trx: Transaction<Database>, id: string, field: string) {
  const row = await trx.selectFrom("campaigns").select("id").where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new CampaignChangeError("not_found", field, `No such campaign: ${id}`);
}

// Bounded IN lists and multi-row inserts (MySQL's placeholder limit, SQLite's variable limit).
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function fromIdentityRow(row: Selectable<IdentitiesTable>): IdentityRow {
  return {
    id: Number(row.id),
    key: row.key,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    addressCount: Number(row.address_count),
    fingerprints: JSON.parse(row.fingerprints),
    campaignId: row.campaign_id,
    pinned: Number(row.pinned) === 1,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function fromCampaignRow(row: Selectable<CampaignsTable>): CampaignRow {
  return {
    id: row.id,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    identityCount: Number(row.identity_count),
    addressCount: Number(row.address_count),
    fingerprints: JSON.parse(row.fingerprints),
    evidence: JSON.parse(row.evidence),
    confidence: Number(row.confidence),
    mergedInto: row.merged_into,
    mergeManual: Number(row.merge_manual) === 1,
    manual: Number(row.manual) === 1,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
