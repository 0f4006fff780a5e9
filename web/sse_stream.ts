import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { SSEStreamingApi } from "hono/streaming";
import type { BusMessage } from "../core/bus/mod.ts";
import type { AppDeps } from "./app_deps.ts";
import type { AppEnv } from "./app_env.ts";
import { checkSession } from "./auth/check_session.ts";
import { HttpError } from "./http_error.ts";

/** Default interval of the keepalive comment. */
export const SSE_KEEPALIVE_MS = 15_000;
/** Default bound of bus messages waiting for one client; beyond it the client is dropped. */
export const SSE_QUEUE_LIMIT = 1024;

/** One server-sent event. */
export interface SseEvent {
  /** Sets the client's Last-Event-ID; omit for events a reconnect does not replay. */
  id?: string;
  /** The `event:` name the client listens for. */
  event: string;
  /** Sent as JSON on the `data:` line. */
  data: unknown;
}

/** Options of {@linkcode sseStream}. */
export interface SseStreamOptions {
  deps: Pick<AppDeps, "tickets" | "bus" | "now" | "log" | "repos">;
  /** Bus patterns subscribed to; they must not overlap, so that a message arrives once. */
  subscriptions: readonly string[];
  /** Events sent first, in batches (one write each); bus messages arriving meanwhile wait behind them. */
  backlog(): AsyncIterable<SseEvent[]>;
  /** The events of one live bus message, in batches (it may read the database). */
  live(message: BusMessage): AsyncIterable<SseEvent[]>;
  /** @default 15000 */
  keepaliveMs?: number;
  /** Bus messages waiting for a slow client before it is dropped. @default 1024 */
  queueLimit?: number;
}

/**
 * Answers an EventSource request with Hono's `streamSSE`: redeems the
 * single-use `?ticket=` (401 when missing, used, expired, or its session
 * has ended), claims one of the user's stream slots (429 beyond the cap),
 * sends the backlog, then the events of live bus messages, with a keepalive
 * comment every 15 s so proxies keep the connection open. The
 * subscriptions are taken before the backlog is read and their messages
 * wait behind it, so nothing falls between the two.
 *
 * Each client has a bounded queue: a client that reads slower than the bus
 * delivers is dropped (its connection closed) once `queueLimit` messages
 * wait, never buffered without bound; it may reconnect and resume. The bus
 * subscriptions are removed and the slot freed in `stream.onAbort` (or when
 * the stream ends for any other reason).
 *
 * The session the ticket was issued to is re-checked every few seconds
 * (`tickets.sessionCheckMs`) and at once on `tickets.recheckAll()`: after a
 * logout, password change or removal of the user (made here or by another
 * process), the stream sends `event: session_ended` with `{reason}` and
 * closes.
 *
 * @param c the request context
 * @param options ticket store, bus, backlog and live mapping
 * @returns the streaming response
 * @throws {HttpError} 401 without a valid ticket, 429 over the per-user cap
 * @example
 * ```ts
 * import type { AppDeps } from "./app_deps.ts";
 * import type { ApiRouter } from "./api_router.ts";
 * import { sseStream } from "./sse_stream.ts";
 * declare const deps: AppDeps;
 * declare const router: ApiRouter;
 * router.route({ method: "get", path: "/stream", summary: "Live", access: "public" },
 *   (c) => sseStream(c, {
 *     deps,
 *     subscriptions: ["decky.>"],
 *     backlog: async function* () {},
 *     live: async function* (m) { yield [{ event: "decky", data: m.payload }]; },
 *   }));
 * ```
 */
export async function sseStream(
  c: Context<AppEnv>,
  options: SseStreamOptions,
): Promise<Response> {
  const { deps } = options;
  const ticket = c.req.query("ticket");
  if (!ticket) {
    throw new HttpError(401, "unauthorized", "Missing ticket (POST /api/v1/auth/sse-ticket)", {
      field: "query.ticket",
    });
  }
  const session = deps.tickets.redeem(ticket, deps.now().getTime());
  if (!session) {
    throw new HttpError(401, "unauthorized", "Ticket unknown, used or expired", {
      field: "query.ticket",
    });
  }
  const opening = await checkSession(deps, session.claims);
  if (!opening.ok) {
    throw new HttpError(401, "unauthorized", `Ticket's session ended: ${opening.reason}`, {
      field: "query.ticket",
    });
  }
  const owner = session.user;
  if (!deps.tickets.acquire(owner.uuid)) {
    throw new HttpError(429, "too_many_streams", "Too many open streams for this user");
  }
  const queueLimit = options.queueLimit ?? SSE_QUEUE_LIMIT;
  const fail = (error: unknown) => {
    deps.log.warn("event stream step failed", {
      error: error instanceof Error ? error.message : String(error),
    });
  };
  c.header("x-accel-buffering", "no");
  return streamSSE(c, async (stream) => {
    const queue: BusMessage[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    // The last event (session_ended) is flushed before the stream closes.
    let lastWrite: Promise<void> = Promise.resolve();
    const cleanups: (() => void)[] = [];
    const end = (last?: Promise<void>) => {
      if (last) lastWrite = last;
      if (ended) return;
      ended = true;
      for (const cleanup of cleanups) cleanup();
      deps.tickets.release(owner.uuid);
      wake?.();
    };
    stream.onAbort(end);
    const signal = c.req.raw.signal;
    const onRequestAbort = () => stream.abort();
    signal.addEventListener("abort", onRequestAbort, { once: true });
    cleanups.push(() => signal.removeEventListener("abort", onRequestAbort));

    for (const pattern of options.subscriptions) {
      const subscription = deps.bus.subscribe(pattern, (message) => {
        if (ended) return;
        if (queue.length >= queueLimit) {
          deps.log.warn("event stream dropped: the client reads too slowly", {
            username: owner.username,
            queued: queue.length,
          });
          end();
          // Drops what is buffered for it too: the client reconnects and resumes.
          stream.abort();
          return;
        }
        queue.push(message);
        wake?.();
      });
      cleanups.push(() => subscription.unsubscribe());
    }
    const keepalive = setInterval(
      () => void stream.write(": keepalive\n\n"),
      options.keepaliveMs ?? SSE_KEEPALIVE_MS,
    );
    cleanups.push(() => clearInterval(keepalive));
    watchSession(stream, { deps, session, end, fail, cleanups });
    if (signal.aborted) stream.abort();

    try {
      await stream.write("retry: 3000\n\n");
      for await (const batch of options.backlog()) {
        if (ended) break;
        await send(stream, batch);
      }
      while (!ended) {
        const message = queue.shift();
        if (!message) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        for await (const batch of options.live(message)) {
          if (ended) break;
          await send(stream, batch);
        }
      }
    } catch (e) {
      fail(e);
    } finally {
      end();
      await lastWrite;
    }
  });
}

/** Ends the stream with `session_ended` once its session is over (checked periodically and on demand). */
function watchSession(
  stream: SSEStreamingApi,
  o: {
    deps: SseStreamOptions["deps"];
    session: NonNullable<ReturnType<AppDeps["tickets"]["redeem"]>>;
    /** Ends the stream once `last` is written. */
    end(last?: Promise<void>): void;
    fail(error: unknown): void;
    cleanups: (() => void)[];
  },
): void {
  let checking = false;
  let checkAgain = false;
  let over = false;
  const check = () => {
    if (over) return;
    // A check already under way may have read the session before the change that asked again.
    if (checking) {
      checkAgain = true;
      return;
    }
    checking = true;
    checkSession(o.deps, o.session.claims).then((result) => {
      if (result.ok || over) return;
      over = true;
      o.deps.log.info("event stream closed: session ended", {
        username: o.session.user.username,
        reason: result.reason,
      });
      // Not awaited here: the stream's resources go at once even if the client stopped reading.
      o.end(send(stream, [{ event: "session_ended", data: { reason: result.reason } }]));
    }, o.fail).finally(() => {
      checking = false;
      if (checkAgain) {
        checkAgain = false;
        check();
      }
    });
  };
  const timer = setInterval(check, o.deps.tickets.sessionCheckMs);
  const unwatch = o.deps.tickets.watch(check);
  o.cleanups.push(() => {
    over = true;
    clearInterval(timer);
    unwatch();
  });
}

/** Writes a batch of events at once (a catch-up page costs one write, not one per row). */
async function send(stream: SSEStreamingApi, events: readonly SseEvent[]): Promise<void> {
  if (events.length > 0) await stream.write(events.map(formatEvent).join(""));
}

function formatEvent(e: SseEvent): string {
  const oneLine = (s: string) => s.replace(/[\r\n]/g, " ");
  const id = e.id !== undefined ? `id: ${oneLine(e.id)}\n` : "";
  // JSON.stringify never emits a raw newline, so one data line suffices.
  return `${id}event: ${oneLine(e.event)}\ndata: ${JSON.stringify(e.data ?? null)}\n\n`;
}
