import { z } from "zod";
import { TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { parseInput } from "../../api_router.ts";
import { sseStream } from "../../sse_stream.ts";

/** Event families a dashboard stream may ask for, and the bus patterns behind them. */
export const EVENT_FAMILIES = {
  canary: TOPIC_PATTERNS.canary,
  decky: TOPIC_PATTERNS.deckyState,
  orchestrator: TOPIC_PATTERNS.orchestrator,
  health: TOPIC_PATTERNS.health,
} as const;

const StreamQuery = z.object({
  topics: z.string().regex(
    /^(canary|decky|orchestrator|health)(,(canary|decky|orchestrator|health))*$/,
    "expected a comma list of canary, decky, orchestrator, health",
  ).default("canary,decky,orchestrator"),
});

/**
 * `/api/v1/events/stream`: the dashboard's live feed of bus events (canary
 * placed/triggered/revoked, decky state transitions, orchestrator actions,
 * worker health) as server-sent events named after their family, each
 * `data` being `{topic, payload}`.
 */
export function eventsRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/events", guard);
  let sequence = 0;
  router.route({
    method: "get",
    path: "/stream",
    summary:
      "Live bus events over SSE (?ticket= from POST /api/v1/auth/sse-ticket, ?topics=canary,decky,orchestrator,health)",
    // Authenticated by the single-use ticket (EventSource cannot send headers).
    access: "public",
    responses: { 200: "text/event-stream", 401: "No valid ticket", 429: "Too many streams" },
  }, (c) => {
    const { topics } = parseInput(StreamQuery, { topics: c.req.query("topics") }, "query");
    const families = [...new Set(topics.split(","))] as (keyof typeof EVENT_FAMILIES)[];
    const wanted = new Set<string>(families.map((f) => (f === "health" ? "system" : f)));
    return sseStream(c, {
      deps,
      // One family: its own pattern; several: everything, filtered below.
      pattern: families.length === 1 ? EVENT_FAMILIES[families[0]] : ">",
      // Live only: islands reload their list from the API when a stream (re)opens.
      backlog: () => Promise.resolve([]),
      live: (message) => {
        const family = message.topic.split(".")[0];
        if (!wanted.has(family)) return [];
        if (family === "system" && !message.topic.endsWith(".health")) return [];
        return [{
          event: family === "system" ? "health" : family,
          id: `${deps.now().getTime().toString(36)}-${(sequence++).toString(36)}`,
          data: { topic: message.topic, payload: message.payload },
        }];
      },
    });
  });
  return router;
}
