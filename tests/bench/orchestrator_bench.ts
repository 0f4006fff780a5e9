/**
 * Orchestrator tick overhead excluding Docker (a fake DockerClient answers at
 * once) with 1,000 running deckies and up to 1,000,000 synthetic_files rows,
 * on SQLite (file, WAL) and on a real MariaDB; and the edit-candidate query
 * time as the table grows (it must stay flat).
 *
 *   deno run -A tests/bench/orchestrator_bench.ts [maxRows=1000000]
 */
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { DbHandle } from "../../core/db/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { Orchestrator } from "../../core/orchestrator/mod.ts";
import { REALISM_SETTINGS_KEY } from "../../realism/mod.ts";
import { mulberry32 } from "../../realism/mod.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { FakeDocker } from "../core/orchestrator/_fake_docker.ts";
import { twoPersonas } from "../core/orchestrator/_harness.ts";
import { makePersona } from "../realism/_fixtures.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const MAX_ROWS = Number(Deno.args[0] ?? 1_000_000);
const DECKIES = 1000;
const BATCH = 1000;

async function seedDeckies(handle: DbHandle): Promise<string[]> {
  const repos = createRepositories(handle);
  const uuids: string[] = [];
  for (let i = 0; i < DECKIES; i++) {
    const d = await repos.fleet.upsert({
      hostUuid: "local",
      name: `ws-${String(i).padStart(4, "0")}`,
      ip: `10.${(i >> 8) & 255}.${i & 255}.10`,
      services: i % 10 === 0 ? ["ssh", "imap"] : ["ssh"],
      images: {},
      network: "decoys",
      networkDriver: "bridge",
      osPersona: "linux",
    }, "running");
    uuids.push(d.uuid);
  }
  return uuids;
}

async function growFiles(handle: DbHandle, deckies: string[], from: number, to: number) {
  const at = new Date("2026-11-01T10:00:00Z").toISOString();
  for (let start = from; start < to; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      rows.push({
        decky_uuid: deckies[i % deckies.length],
        path: `/home/ana/notes/n${i}.md`,
        persona: "Ana Lopez",
        content_class: "note",
        created_at: at,
        last_modified: at,
        edit_count: 0,
        content_hash: "0".repeat(64),
        last_body: "# notes\n- follow up with the vendor\n",
      });
    }
    await handle.db.insertInto("synthetic_files").values(rows).execute();
  }
}

async function run(label: string, handle: DbHandle): Promise<void> {
  const repos = createRepositories(handle);
  const deckies = await seedDeckies(handle);
  let rows = 0;
  const random = mulberry32(1);
  for (const size of [10_000, 100_000, 1_000_000].filter((s) => s <= MAX_ROWS)) {
    const t0 = performance.now();
    await growFiles(handle, deckies, rows, size);
    rows = size;
    console.log(
      `${label}: seeded ${rows} synthetic_files rows (${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s)`,
    );
    const pick = await timeIt(2000, () => repos.syntheticFiles.pickEditCandidate(random));
    console.log(formatTimings(`${label}: pickEditCandidate @ ${rows} rows`, pick));
  }
  const pool = [
    ...twoPersonas(),
    makePersona({ name: "Bo Li", email: "bo@corp.example", active_hours: "00:00-23:59" }),
  ];
  await using bus = new MemoryBus({ channel: `bench-${crypto.randomUUID()}` });
  const orchestrator = new Orchestrator({
    repos,
    docker: new FakeDocker(),
    bus,
    log: new Logger({ level: "error" }),
    personaPool: { load: () => Promise.resolve({ personas: pool }) },
    makeLlm: () => null,
    llmByDefault: false,
    random,
    now: () => new Date("2026-11-18T14:00:00Z"),
  });
  for (const kind of ["traffic", "file", "email", "mixed"] as const) {
    const weights = kind === "mixed"
      ? { traffic: 45, file: 45, email: 10 }
      : { traffic: 0, file: 0, email: 0, [kind]: 1 };
    await repos.settings.put(REALISM_SETTINGS_KEY, { action_weights: weights });
    await orchestrator.reloadSettings();
    const ticks = await timeIt(300, () => orchestrator.tick());
    console.log(formatTimings(`${label}: tick ${kind} (${DECKIES} deckies, ${rows} files)`, ticks));
  }
  const sweep = await timeIt(1, () => orchestrator.prune(), 0);
  console.log(formatTimings(`${label}: prune, first (full sweep of every decky)`, sweep));
  await orchestrator.tick();
  const touched = await timeIt(1, () => orchestrator.prune(), 0);
  console.log(formatTimings(`${label}: prune, later (deckies touched since)`, touched));
}

const dir = await Deno.makeTempDir({ prefix: "bench-orch-" });
{
  await using sqlite = await openMigratedDatabase(`sqlite:${dir}/bench.db`);
  await run("SQLite", sqlite);
}
await Deno.remove(dir, { recursive: true });

const why = mariaDbUnavailable();
if (why) console.log(`MariaDB: skipped (${why})`);
else {
  await using server = await startMariaDb();
  await using maria = await openMigratedDatabase(await server.createDatabase("bench_orch"));
  await run("MariaDB", maria);
}
