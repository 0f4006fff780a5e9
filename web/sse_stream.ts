import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { BusMessage, Subscription } from "../core/bus/mod.ts";
import type { AppDeps } from "./app_deps.ts";
import type { AppEnv } from "./app_env.ts";
import type { TicketOwner } from "./auth/sse_tickets.ts";
import { HttpError } from "./http_error.ts";

/** One server-sent event. `id` lets a reconnecting client say where it stopped. */
export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** What {@linkcode sseStream} streams. */
export interface SseStreamOptions {
  /** Bus patterns to relay (e.g. `canary.*.triggered`). */
  patterns: string[];
  /** Turns a bus message into an event for this user, or null to skip it. */
  toEvent(message: BusMessage, owner: TicketOwner): SseEvent | null;
  /**
   * Events missed since `lastEventId` (from `Last-Event-ID` or
   * `?last_event_id=`), sent before live ones; live events whose id was
   * replayed are not sent twice.
   */
  replay?(lastEventId: string, owner: TicketOwner): Promise<SseEvent[]>;
  /**
   * Interval of `: keepalive` comments, which keep proxies from closing an idle stream.
   * @default 15000
   */
  keepaliveMs?: number;
}

/** Keepalive interval of live streams. */
export const SSE_KEEPALIVE_MS = 15_000;

/**
 * A live event stream for EventSource: redeems the single-use `?ticket=`
 * (401 when missing, used or expired), holds one of the user's stream slots
 * (429 at DECNET_SSE_MAX_PER_USER), replays what a reconnecting client
 * missed, relays matching bus messages, sends keepalive comments, and
 * unsubscribes and frees the slot when the client goes away.
 *
 * EventSource reconnects with the same URL, whose ticket is spent, so
 * clients reconnect themselves: new ticket, `?last_event_id=` of the last
 * event seen (and drop rows they already have by id).
 *
 * @throws {HttpError} 401 without a valid ticket, 429 at the per-user cap
 * @example
 * ```ts
 * router.route({ method: "get", path: "/stream", access: "public", summary: "Live" },
 *   (c) => sseStream(c, deps, { patterns: ["canary.*.triggered"], toEvent: (m) => ({
 *     event: "trigger", id: String(m.payload.trigger_id), data: m.payload }) }));
 * ```
 */
export function sseStream(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, "tickets" | "bus" | "now" | "log">,
  options: SseStreamOptions,
): Response {
  const ticket = c.req.query("ticket") ?? "";
  const owner = ticket ? deps.tickets.redeem(ticket, deps.now().getTime()) : null;
  if (!owner) {
    throw new HttpError(
      401,
      "unauthorized",
      "Missing, used or expired ticket (POST /api/v1/auth/sse-ticket)",
      { field: "query.ticket" },
    );
  }
  if (!deps.tickets.acquire(owner.uuid)) {
    throw new HttpError(429, "too_many_streams", "Too many open live streams for this user");
  }
  const lastEventId = c.req.header("last-event-id") ?? c.req.query("last_event_id") ?? "";
  const keepaliveMs = options.keepaliveMs ?? SSE_KEEPALIVE_MS;
  c.header("Cache-Control", "no-store");
  c.header("X-Accel-Buffering", "no");

  return streamSSE(c, async (stream) => {
    const subscriptions: Subscription[] = [];
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const s of subscriptions) s.unsubscribe();
      deps.tickets.release(owner.uuid);
    };
    const gone = new AbortController();
    stream.onAbort(() => {
      gone.abort();
      release();
    });
    try {
      // Subscribe first and hold live events until the replay is out, so
      // nothing published in between is lost or sent twice.
      let held: SseEvent[] | null = [];
      const sent = new Set<string>();
      const write = async (event: SseEvent) => {
        if (event.id !== undefined) {
          if (sent.has(event.id)) return;
          sent.add(event.id);
          if (sent.size > 10_000) sent.clear();
        }
        await stream.writeSSE({
          event: event.event,
          data: JSON.stringify(event.data),
          ...(event.id !== undefined ? { id: event.id } : {}),
        });
      };
      for (const pattern of options.patterns) {
        subscriptions.push(deps.bus.subscribe(pattern, async (message) => {
          const event = options.toEvent(message, owner);
          if (!event) return;
          if (held) held.push(event);
          else if (!stream.aborted) await write(event);
        }));
      }
      await stream.write(": connected\n\n");
      if (lastEventId && options.replay) {
        for (const event of await options.replay(lastEventId, owner)) await write(event);
      }
      const pending: SseEvent[] = held;
      held = null;
      for (const event of pending) await write(event);
      while (!gone.signal.aborted) {
        await abortableSleep(keepaliveMs, gone.signal);
        if (gone.signal.aborted) break;
        await stream.write(": keepalive\n\n");
      }
    } finally {
      release();
    }
  }, (err) => {
    deps.log.warn("live stream failed", { error: err });
    return Promise.resolve();
  });
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
