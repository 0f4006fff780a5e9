// Issue #18 through the real product: attacker records are written through the repository into
// the SQLite file of a `decnet up --only api,clusterer` spawned as a process; the clusterer worker
// clusters them at start and the API shows the identities and the campaign. An admin's manual
// merge over the API reaches the clusterer over the process's bus, and its next run recounts the
// winner. The operator's benign source is never clustered.
import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { SensorLogPosition } from "../../core/db/mod.ts";
import type { SensorEvent } from "../../core/sensor/mod.ts";
import { makeSensorEvent } from "../core/db/attackers_contract.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const ADMIN_PASSWORD = "campaigns-up-passphrase-4k2m";
const C2 = ["198.51.100.9:4444"];
const BENIGN = "203.0.113.7";

/** One actor on two addresses (same JA3 and HASSH), a partner on its C2, a loner, our scanner. */
async function seed(dbUrl: string): Promise<void> {
  await using handle = await openMigratedDatabase(dbUrl);
  const repos = createRepositories(handle);
  const day = Date.now() - 86_400_000;
  const at = (minutes: number) => new Date(day + minutes * 60_000).toISOString();
  const events: SensorEvent[] = [
    makeSensorEvent({ src_ip: "192.0.2.5", time: at(0), ja3: "ja3-a", hassh: "hassh-a" }),
    makeSensorEvent({ src_ip: "192.0.2.1", time: at(30), ja3: "ja3-a", hassh: "hassh-a" }),
    makeSensorEvent({
      src_ip: "192.0.2.1",
      kind: "command",
      command: "nc 198.51.100.9 4444",
      time: at(35),
      c2: C2,
    }),
    makeSensorEvent({ src_ip: "192.0.2.2", time: at(600), ja3: "ja3-b", hassh: "hassh-b" }),
    makeSensorEvent({
      src_ip: "192.0.2.2",
      kind: "command",
      command: "nc 198.51.100.9 4444",
      time: at(610),
      c2: C2,
    }),
    makeSensorEvent({ src_ip: "192.0.2.3", time: at(900), ja3: "ja3-c", hassh: "hassh-c" }),
    makeSensorEvent({ src_ip: BENIGN, time: at(900), ja3: "ja3-a", hassh: "hassh-a", c2: C2 }),
  ];
  const from: SensorLogPosition = { logTime: "", linesAtTime: 0 };
  await repos.attackers.storeSensorBatch({
    container: "sensor-1",
    decky: "web-01",
    from,
    to: { logTime: at(900), linesAtTime: 1 },
    events,
    badLines: 0,
    // Stored as an attacker: only the clusterer's own check can leave it out.
    isBenign: () => false,
  });
}

Deno.test("decnet up clusters stored attacker records into identities and a campaign the API shows", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "campaigns-up-" });
  try {
    const dbUrl = `sqlite:${cwd}/var/decnet.db`;
    await Deno.mkdir(`${cwd}/var`, { recursive: true, mode: 0o700 });
    await seed(dbUrl);
    await using proc = spawnDecnet(["up", "--only", "api,clusterer"], {
      cwd,
      env: {
        DECNET_API_PORT: "0",
        DECNET_ADMIN_PASSWORD: ADMIN_PASSWORD,
        DECNET_DB_URL: dbUrl,
        DECNET_BENIGN_SOURCES: `${BENIGN}/32`,
      },
    });
    const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    const auth = (await signInAdmin(url, ADMIN_PASSWORD)).headers;
    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`, { headers: auth });
      assert.equal(res.status, 200, path);
      return await res.json();
    };

    type Campaign = { id: string; identity_count: number; address_count: number };
    let crews: Campaign[] = [];
    await waitUntil(async () => {
      crews = (await get("/api/v1/campaigns?min_identities=2")).items;
      return crews.length === 1;
    }, { what: "the clusterer's first run", timeoutMs: 60_000 });
    const [crew] = crews;
    assert.deepEqual([crew.identity_count, crew.address_count], [2, 3]);

    const identities = (await get("/api/v1/identities")).items as {
      id: number;
      key: string;
      address_count: number;
      campaign_id: string;
    }[];
    assert.deepEqual(identities.map((i) => i.key).sort(), ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    const actor = identities.find((i) => i.key === "192.0.2.1")!;
    assert.equal(actor.address_count, 2);
    const detail = await get(`/api/v1/identities/${actor.id}`);
    assert.deepEqual(detail.attackers.map((a: { ip: string }) => a.ip).sort(), [
      "192.0.2.1",
      "192.0.2.5",
    ]);
    const all = await get("/api/v1/campaigns");
    assert.equal(all.total, 2, "the crew and the loner; the benign source is in neither");

    const campaign = await get(`/api/v1/campaigns/${crew.id}`);
    assert.equal(campaign.evidence.length, 1);
    assert.ok(
      campaign.fingerprint_groups.some((g: { kind: string; value: string; identities: number[] }) =>
        g.kind === "c2" && g.value === C2[0] && g.identities.length === 2
      ),
    );

    // An admin merges the loner in: the clusterer hears it and recounts the winner.
    const loner = identities.find((i) => i.key === "192.0.2.3")!;
    const merge = await fetch(`${url}/api/v1/campaigns/${loner.campaign_id}/merge`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ into: crew.id }),
    });
    assert.equal(merge.status, 200);
    assert.equal((await merge.json()).merge_manual, true);
    await waitUntil(
      async () => (await get(`/api/v1/campaigns/${crew.id}`)).identity_count === 3,
      { what: "the clusterer's run after the manual merge" },
    );
    assert.equal((await get("/api/v1/campaigns")).total, 1);
    assert.equal((await proc.close()).code, 0);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("decnet clusterer alone clusters the database at start and stops on SIGTERM", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "clusterer-" });
  try {
    const dbUrl = `sqlite:${cwd}/var/decnet.db`;
    await Deno.mkdir(`${cwd}/var`, { recursive: true, mode: 0o700 });
    await seed(dbUrl);
    await using proc = spawnDecnet(["clusterer"], {
      cwd,
      env: { DECNET_DB_URL: dbUrl, DECNET_BENIGN_SOURCES: `${BENIGN}/32` },
    });
    let keys: string[] = [];
    await waitUntil(async () => {
      await using handle = await openMigratedDatabase(dbUrl);
      const { items } = await createRepositories(handle).campaigns.listIdentities({
        limit: 10,
        offset: 0,
      });
      keys = items.map((i) => i.key).sort();
      return keys.length > 0;
    }, { what: "the standalone clusterer's first run", timeoutMs: 60_000 });
    assert.deepEqual(keys, ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    assert.equal((await proc.close()).code, 0);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
