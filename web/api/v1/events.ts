import type { Context } from "hono";
import { z } from "zod";
import type { BusMessage } from "../../../core/bus/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import type { AppEnv } from "../../app_env.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import { sseStream } from "../../sse_stream.ts";
import type { SseEvent } from "../../sse_stream.ts";
import { formatStreamCursor, parseStreamCursor } from "../../events/stream_cursor.ts";
import type { StreamCursor, StreamSource } from "../../events/stream_cursor.ts";
import { parseStreamTopics, sourceOfTopic, STREAM_TOPICS } from "../../events/stream_topics.ts";
import type { StreamTopics } from "../../events/stream_topics.ts";
import { newestStreamIds, readStreamRows } from "../../events/stream_rows.ts";

/** Rows read from the database per query while catching up. */
const CATCH_UP_PAGE = 500;

// Documents the parameters; `topic` repeats, so the handler reads every value itself.
const StreamQuery = z.object({
  topic: z.union([z.string(), z.array(z.string())]).optional().describe(
    "Bus topic pattern, repeatable (`*` one token, final `>` the rest), e.g. " +
      "`canary.*.triggered`, `orchestrator.>`, `decky.>`, `system.*.health`; none: every topic below",
  ),
  ticket: z.string().optional().describe("Single-use ticket from POST /api/v1/auth/sse-ticket"),
  last_event_id: z.string().optional().describe(
    "Same as the Last-Event-ID header (an EventSource opened anew with a fresh ticket cannot send headers)",
  ),
});

const DESCRIPTION = [
  "Server-sent events of the bus topics asked for. Streamable topics: " +
  STREAM_TOPICS.map((t) => `\`${t.pattern}\``).join(", ") +
  "; nothing else (control messages) is ever sent. Each event is named after its family " +
  "(`canary`, `orchestrator`, `decky`, `health`, `service`, `identity`, `campaign`) with `data: {topic, payload}`, the payload in " +
  "the bus's shape (a trigger or orchestrator row is read from the database and built into it; " +
  "the bus message only wakes the stream).",
  "Resumption: events that report a stored row (canary triggers, orchestrator events and " +
  "emails) carry `id: trigger:<id>,event:<id>,email:<id>`, the database row ids the stream has " +
  "reached (only the tables its topics cover). Reconnecting with that `Last-Event-ID` (header or " +
  "`last_event_id`) sends the rows stored after it from the database, then live events, with no " +
  "duplicate and no gap. Without it the stream starts at the newest rows. `event: ready` (with " +
  "that id) marks the end of the catch-up. Events without a row (`canary.*.placed`, " +
  "`canary.*.revoked`, `decky.*.state`, `identity.*`, `campaign.*`, `system.*.health`, and a " +
  "rollup row's growing count) are live only, carry no id, and are not replayed.",
  "A `: keepalive` comment every 15 s; a client that reads too slowly is disconnected (it may " +
  "resume); `event: session_ended` then close after a logout, password change or removal.",
].join("\n\n");

/**
 * `/api/v1/events/stream`: the dashboard's one live feed of bus events,
 * filtered by topic patterns, resumable from the database by row id.
 */
export function eventsRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/events", guard);
  router.route({
    method: "get",
    path: "/stream",
    summary: "Live bus events over SSE, by topic pattern, resumable with Last-Event-ID",
    description: DESCRIPTION,
    // Authenticated by the single-use ticket (EventSource cannot send headers); viewers may read.
    access: "public",
    query: StreamQuery,
    responses: {
      200: "text/event-stream",
      400: "Bad topic pattern (query.topic) or Last-Event-ID",
      401: "No valid ticket",
      429: "Too many streams",
    },
  }, (c) => {
    const topics = parseStreamTopics(c.req.queries("topic") ?? []);
    const resume = resumeCursor(c);
    return sseStream(c, {
      deps,
      subscriptions: topics.subscriptions,
      ...feed(deps, topics, resume),
    });
  });
  return router;
}

/** The reconnecting client's position: the Last-Event-ID header, else `?last_event_id=`. */
function resumeCursor(c: Context<AppEnv>): StreamCursor | undefined {
  const header = c.req.header("last-event-id")?.trim();
  const query = c.req.query("last_event_id")?.trim();
  const [text, field] = header ? [header, "header.last-event-id"] : [query, "query.last_event_id"];
  if (!text) return undefined;
  try {
    return parseStreamCursor(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new HttpError(400, "invalid_request", `Invalid ${field}: ${e.message}`, { field });
  }
}

/** The backlog and live mapping of one stream, sharing its cursor. */
function feed(
  deps: Pick<AppDeps, "repos">,
  topics: StreamTopics,
  resume: StreamCursor | undefined,
): { backlog(): AsyncIterable<SseEvent[]>; live(m: BusMessage): AsyncIterable<SseEvent[]> } {
  const cursor: StreamCursor = {};

  // Rows stored after the cursor, oldest first, a page at a time; the cursor passes rows the
  // topics do not want too.
  async function* catchUp(source: StreamSource, sent: BusMessage[]): AsyncIterable<SseEvent[]> {
    for (;;) {
      const rows = await readStreamRows(deps.repos, source, {
        afterId: cursor[source]!,
        limit: CATCH_UP_PAGE,
      });
      const page: SseEvent[] = [];
      for (const row of rows) {
        cursor[source] = row.id;
        if (!topics.matches(row.topic)) continue;
        sent.push(row);
        page.push({ id: formatStreamCursor(cursor), ...eventOf(row) });
      }
      yield page;
      if (rows.length < CATCH_UP_PAGE) return;
    }
  }

  return {
    async *backlog() {
      const newest = await newestStreamIds(deps.repos, topics.sources);
      for (const source of topics.sources) {
        const from = resume?.[source];
        // Beyond the newest row (the database was reset): start from the newest.
        cursor[source] = from === undefined || from > newest[source]! ? newest[source]! : from;
      }
      for (const source of topics.sources) yield* catchUp(source, []);
      const id = formatStreamCursor(cursor);
      // A stream of live-only topics has no position to resume from.
      yield [{ ...(id ? { id } : {}), event: "ready", data: { last_event_id: id || null } }];
    },
    async *live(message) {
      if (!topics.matches(message.topic)) return;
      const source = sourceOfTopic(message.topic);
      if (!source) {
        yield [eventOf(message)];
        return;
      }
      // The database is the source of truth: the message says there is something after the cursor.
      const sent: BusMessage[] = [];
      yield* catchUp(source, sent);
      // A rollup row that grew (not a new row) is sent live, without an id.
      const rollup = message.payload.rollup_scope;
      if (rollup !== undefined && rollup !== null && !sent.some((s) => sameRow(s, message))) {
        yield [eventOf(message)];
      }
    },
  };
}

function sameRow(a: BusMessage, b: BusMessage): boolean {
  return a.topic === b.topic && a.payload.id === b.payload.id;
}

function eventOf(m: BusMessage): SseEvent {
  const family = m.topic.split(".")[0];
  return {
    event: family === "system" ? "health" : family,
    data: { topic: m.topic, payload: m.payload },
  };
}
