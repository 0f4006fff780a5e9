/**
 * Realism planner throughput: plans per second over 1,000 deckies with 10
 * personas each (target: under 1 ms per plan), plus body generation.
 */
import { decide, makeBody, mulberry32, parsePersonas } from "../../realism/mod.ts";
import type { PlannerDecky } from "../../realism/mod.ts";
import { printLine } from "../../core/log/mod.ts";

const text = await Deno.readTextFile(
  new URL("../../deploy/personas.example.json", import.meta.url),
);
const pool = parsePersonas(JSON.parse(text)).personas;
const deckies: PlannerDecky[] = Array.from({ length: 1000 }, (_, i) => ({
  uuid: `decky-${i}`,
  name: `ws-${i}`,
  personas: Array.from({ length: 10 }, (_, j) => pool[(i + j) % pool.length]),
}));
const rand = mulberry32(1);

function measure(label: string, at: Date, n: number): void {
  for (let i = 0; i < 500; i++) decide(deckies, at, { rand }); // warm-up
  const t0 = performance.now();
  let plans = 0;
  for (let i = 0; i < n; i++) if (decide(deckies, at, { rand }).plan) plans++;
  const ms = performance.now() - t0;
  printLine(
    `${label.padEnd(44)} ${(n / (ms / 1000)).toFixed(0).padStart(8)} ticks/s  ${
      (ms / n * 1000).toFixed(1)
    } us/tick  (${plans} plans)`,
  );
}

measure("decide() 1000x10, mid-day UTC (most awake)", new Date("2026-03-04T11:00:00Z"), 20_000);
measure("decide() 1000x10, 03:00 UTC (few awake)", new Date("2026-03-04T03:00:00Z"), 5_000);
const nobody = deckies.map((d) => ({
  ...d,
  personas: d.personas.map((p) => ({ ...p, active_hours: "01:00-01:01", timezone: "UTC" })),
}));
{
  const t0 = performance.now();
  const n = 2000;
  for (let i = 0; i < n; i++) decide(nobody, new Date("2026-03-04T12:00:00Z"), { rand });
  const ms = performance.now() - t0;
  printLine(
    `${"decide() 1000x10, nobody awake (full scan)".padEnd(44)} ${
      (n / (ms / 1000)).toFixed(0).padStart(8)
    } ticks/s  ${(ms / n * 1000).toFixed(1)} us/tick`,
  );
}
for (const cls of ["note", "todo", "script", "log_cron"] as const) {
  const n = 5000;
  const now = new Date("2026-03-04T11:00:00Z");
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    makeBody(cls, { persona: pool[i % pool.length], decky: deckies[0], rand, now });
  }
  const ms = performance.now() - t0;
  printLine(
    `${`makeBody(${cls})`.padEnd(44)} ${(n / (ms / 1000)).toFixed(0).padStart(8)} bodies/s`,
  );
}
