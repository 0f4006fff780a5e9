import { DECKY_STATES } from "../../core/db/mod.ts";
import type { TriggerView } from "../api/v1/canary.ts";
import type { AppDeps } from "../app_deps.ts";
import type { WorkerHealth } from "../../core/workers/mod.ts";

/** One hour of orchestrator activity. */
export interface ActivityHour {
  /** Start of the hour, ISO 8601. */
  hour: string;
  ok: number;
  failed: number;
}

/** Everything the overview page shows. */
export interface OverviewData {
  deckiesByState: { state: string; count: number }[];
  deckyTotal: number;
  workers: WorkerHealth[];
  /** Recent triggers with their token's kind and decky. */
  triggers: TriggerView[];
  activity: ActivityHour[];
  /** LLM circuit breaker state from the orchestrator's heartbeat, or null when not reported. */
  llmBreaker: string | null;
}

/** Hours shown in the activity chart. */
export const ACTIVITY_HOURS = 24;
/** Triggers shown (the island keeps as many live). */
export const RECENT_TRIGGERS = 10;
/** Events read to build the chart (older ones beyond this are not counted). */
const ACTIVITY_EVENT_CAP = 5000;

/**
 * Reads the overview's figures from the repositories and worker health.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * declare const deps: AppDeps;
 * const data = await loadOverview(deps);
 * ```
 */
export async function loadOverview(
  deps: Pick<AppDeps, "repos" | "workerHealth" | "now">,
): Promise<OverviewData> {
  const now = deps.now();
  const deckies = await deps.repos.fleet.listDeckies();
  const counts = new Map<string, number>(DECKY_STATES.map((s) => [s, 0]));
  for (const d of deckies) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);

  const triggers = await deps.repos.canary.recentTriggers(RECENT_TRIGGERS);

  const hourMs = 3600_000;
  const firstHour = Math.floor(now.getTime() / hourMs) * hourMs - (ACTIVITY_HOURS - 1) * hourMs;
  const activity: ActivityHour[] = Array.from({ length: ACTIVITY_HOURS }, (_, i) => ({
    hour: new Date(firstHour + i * hourMs).toISOString(),
    ok: 0,
    failed: 0,
  }));
  const { items: events } = await deps.repos.orchestrator.listEvents({
    since: new Date(firstHour).toISOString(),
    limit: ACTIVITY_EVENT_CAP,
    offset: 0,
  });
  for (const e of events) {
    const i = Math.floor((Date.parse(e.ts) - firstHour) / hourMs);
    if (i < 0 || i >= ACTIVITY_HOURS) continue;
    if (e.success) activity[i].ok++;
    else activity[i].failed++;
  }

  const workers = deps.workerHealth();
  return {
    deckiesByState: [...counts].map(([state, count]) => ({ state, count })),
    deckyTotal: deckies.length,
    workers,
    triggers,
    activity,
    llmBreaker: breakerState(workers),
  };
}

function breakerState(workers: WorkerHealth[]): string | null {
  const extras = workers.find((w) => w.name === "orchestrator")?.extras ?? {};
  if (extras.llm_enabled === false) return "disabled";
  const value = extras.breaker_state ?? extras.llm_breaker;
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "state" in value) {
    const state = (value as { state: unknown }).state;
    if (typeof state === "string") return state;
  }
  return null;
}
