/**
 * Planter throughput against a private dockerd: plants of a small artifact
 * (git_config, ~300 B), a 1 MiB file and a revoke, one exec each. Prints
 * median and p95 in ms and plants per second.
 * Usage: deno run -A tests/bench/canary_planter_bench.ts [iterations=40]
 */
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import { Logger, printLine } from "../../core/log/mod.ts";
import { cultivateCanary, Planter } from "../../canary/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage } from "../infra/test_image.ts";
import { timeIt } from "./bench_stats.ts";

const iterations = Number(Deno.args[0] ?? 40);
const unavailable = dockerdUnavailable();
if (unavailable) {
  printLine(`canary planter bench skipped: ${unavailable}`);
  Deno.exit(0);
}

await using daemon = await startDockerd();
await using docker = openDocker({ dockerHost: daemon.dockerHost });
const image = await buildTestImage(docker);
await docker.startContainer(await docker.createContainer({ image, name: "bench-ssh", init: true }));
await using handle = await openMigratedDatabase("sqlite::memory:");
const repos = createRepositories(handle);
await repos.fleet.upsert({
  hostUuid: "local",
  name: "bench",
  ip: null,
  services: ["ssh"],
  images: {},
  network: null,
  networkDriver: null,
  osPersona: "linux",
}, "running");
await using bus = new MemoryBus({ channel: `bench-${crypto.randomUUID()}` });
const config = {
  canaryHttpBase: "http://192.0.2.10:8088",
  canaryDnsZone: "",
  canaryBaseline: [] as string[],
};
const planter = new Planter({
  docker,
  repos,
  bus,
  log: new Logger({ level: "error" }),
  now: () => new Date(),
  config,
});
const decky = { name: "bench", services: ["ssh"] };
const big = new Uint8Array(1024 * 1024).map((_, i) => 32 + (i % 90));
const planted: string[] = [];

async function plantOnce(i: number, bytes?: Uint8Array): Promise<void> {
  const c = await cultivateCanary("canary_git_config", {
    config,
    persona: { os: "linux", login: "user" },
    now: new Date(),
    deckyName: "bench",
    placementPath: `~/repos/r${i}-${bytes ? "big" : "small"}/.git/config`,
  });
  const token = await repos.canary.insertToken(c.token);
  const row = await planter.plant(decky, {
    artifact: bytes ? { ...c.artifact, bytes } : c.artifact,
    token,
  });
  if (row.state !== "planted") throw new Error(row.last_error ?? "plant failed");
  planted.push(row.uuid);
}

const fmt = (t: { p50: number; p95: number; perSecond: number }) =>
  `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms, ${t.perSecond.toFixed(1)}/s`;
printLine(`plant git_config (~300 B): ${fmt(await timeIt(iterations, (i) => plantOnce(i)))}`);
printLine(
  `plant 1 MiB file:          ${fmt(await timeIt(iterations, (i) => plantOnce(1000 + i, big)))}`,
);
let next = 0;
printLine(`revoke (rm in container): ${
  fmt(
    await timeIt(iterations, async () => {
      const row = await planter.revoke(planted[next++]);
      if (row?.last_error) throw new Error(row.last_error);
    }),
  )
}`);
