/**
 * Clustering time and peak memory for 1k / 10k / 50k identities of
 * generated attackers (tests/core/campaigns/generate_scenario.ts): 60 %
 * noise scanners running stock tools, the rest operators in campaigns of
 * two to four sharing payloads and C2 and handing over deckies, half of
 * them typing, over 30 days. Each size runs in its own process so its peak RSS is its own.
 * Then the worst case for blocking: one payload hash shared by 2k / 5k
 * identities (every pair is a candidate).
 * Run: tools/deno.sh run -A tests/bench/cluster_bench.ts [SIZE | sharedSIZE ...]
 */
import { cpuUsage } from "node:process";
import { clusterObservations } from "../../core/campaigns/mod.ts";
import {
  type ActorSpec,
  generateScenario,
  mulberry32,
  type Scenario,
} from "../core/campaigns/generate_scenario.ts";
import { partitionScores } from "../core/campaigns/partition_metrics.ts";

const SIZES = [1_000, 10_000, 50_000];
const SHARED_SIZES = [2_000, 5_000];
const BREACH = ["reconnaissance", "initial_access", "persistence", "command_and_control"];
const TAKEOVER = ["discovery", "lateral_movement", "collection"];

/**
 * Campaign members share all their payloads and C2; the first member
 * breaches two of the campaign's deckies and the second takes over there
 * (a handoff); the rest scout. One decky per 25 identities: with fewer,
 * unrelated actors' takeovers land within 24 h of someone else's C2 on
 * the same decky and the handoff rule chains them (see RESULTS.md).
 */
function busyNetwork(identities: number): Scenario {
  const random = mulberry32(identities);
  const deckies = Array.from({ length: Math.max(40, identities / 25) }, (_, k) => `host${k}`);
  const scanners = Math.round(identities * 0.6);
  const actors: ActorSpec[] = [];
  for (let c = 0; actors.length < identities - scanners; c++) {
    const size = 2 + Math.floor(random() * 3);
    const day = Math.floor(random() * 25);
    const targets = [0, 1].map(() => deckies[Math.floor(random() * deckies.length)]);
    for (let k = 0; k < size && actors.length < identities - scanners; k++) {
      actors.push({
        name: `c${c}a${k}`,
        campaign: `c${c}`,
        addresses: 1 + Math.floor(random() * 3),
        rotation: random() < 0.5 ? "sticky" : "rotating",
        asnPerAddress: random() < 0.3,
        hours: k === 1 ? [18, 23] : [8, 16],
        days: [day, day + 1 + Math.floor(random() * 4)],
        typing: random() < 0.5,
        toolchain: { tools: [`kit${c % 50}`, "ssh"], ja3: true, hassh: true },
        phases: [{
          day,
          phases: k === 0 ? BREACH : k === 1 ? TAKEOVER : ["reconnaissance"],
          targets,
        }],
        payloads: ["implant", "loader"],
        c2: ["beacon"],
        wordlist: "rockyou-top",
      });
    }
  }
  return generateScenario({ seed: identities, deckies, actors, scanners, scannerDays: 30 });
}

function rssMiB(field: "VmHWM" | "VmRSS"): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

/** The worst case for blocking: one payload hash shared by every identity (a botnet's sample). */
function sharedPayload(identities: number): Scenario {
  const observations = Array.from({ length: identities }, (_, k) => ({
    ip: `198.18.${k >> 8}.${k & 255}`,
    payload_hashes: ["sample", `variant${k % 3}`],
  }));
  const campaign = observations.map((o) => o.payload_hashes[1]);
  return { observations, identity: observations.map((o) => o.ip), campaign };
}

function measure(identities: number, shared: boolean): void {
  const scenario = shared ? sharedPayload(identities) : busyNetwork(identities);
  const before = rssMiB("VmRSS");
  const t0 = performance.now(), cpu0 = cpuUsage();
  const result = clusterObservations(scenario.observations);
  const ms = performance.now() - t0, cpu = cpuUsage(cpu0);
  const peak = rssMiB("VmHWM");
  const ari =
    partitionScores(scenario.campaign, result.assignments.map((a) => a.campaign)).adjustedRand;
  console.log(
    [
      `${identities.toLocaleString("en")} identities${shared ? ", one payload" : ""}`.padEnd(31),
      `${scenario.observations.length.toLocaleString("en")} observations`.padEnd(22),
      `${result.campaigns.length.toLocaleString("en")} campaigns`.padEnd(17),
      `${(ms / 1000).toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`.padEnd(
        22,
      ),
      `RSS before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`.padEnd(34),
      `campaign ARI ${ari}`,
    ].join(" "),
  );
}

if (Deno.args[0] === "--one") {
  measure(Number(Deno.args[1]), Deno.args[2] === "shared");
} else {
  const runs = Deno.args.length
    ? Deno.args.map((a) => [a.replace("shared", ""), a.startsWith("shared") ? "shared" : "busy"])
    : [...SIZES.map((n) => [String(n), "busy"]), ...SHARED_SIZES.map((n) => [String(n), "shared"])];
  for (const [size, kind] of runs) {
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", new URL(import.meta.url).pathname, "--one", size, kind],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!success) Deno.exit(1);
  }
}
