import type { Context } from "hono";
import type { BusMessage } from "../core/bus/mod.ts";
import type { AppDeps } from "./app_deps.ts";
import type { AppEnv } from "./app_env.ts";
import { checkSession } from "./auth/check_session.ts";
import { HttpError } from "./http_error.ts";

/** Default interval of the keepalive comment. */
export const SSE_KEEPALIVE_MS = 15_000;

// Ids remembered per stream to drop duplicates (backlog vs. live races).
const MAX_REMEMBERED_IDS = 10_000;

/** One server-sent event. Events with an `id` are sent at most once per stream. */
export interface SseEvent {
  /** Sets the client's Last-Event-ID; omit for events a reconnect need not replay. */
  id?: string;
  /** The `event:` name the client listens for. */
  event: string;
  /** Sent as JSON on the `data:` line. */
  data: unknown;
}

/** Options of {@linkcode sseStream}. */
export interface SseStreamOptions {
  deps: Pick<AppDeps, "tickets" | "bus" | "now" | "log" | "repos">;
  /** Bus pattern of the live part, e.g. `canary.>`. */
  pattern: string;
  /**
   * Events sent first, oldest first. `lastEventId` is the reconnecting
   * client's Last-Event-ID header (undefined on a first connect).
   */
  backlog(lastEventId: string | undefined): Promise<SseEvent[]>;
  /**
   * Turns a live bus message into events (it may read the database, e.g. to
   * catch up from `lastEventId`, the last id this stream sent).
   * @default one event named after the topic, the payload as data
   */
  live?(message: BusMessage, lastEventId: string | undefined): SseEvent[] | Promise<SseEvent[]>;
  /** @default 15000 */
  keepaliveMs?: number;
}

/**
 * Answers an EventSource request: redeems the single-use `?ticket=` (401
 * when missing, used, expired, or its session has ended), claims one of the
 * user's stream slots (429 beyond the cap), sends the backlog, then live bus
 * messages matching `pattern`, with a keepalive comment every 15 s. The bus
 * subscription is taken before the backlog is read and its messages wait
 * behind it, so nothing falls between the two; events whose id was already
 * sent are dropped. Unsubscribes and frees the slot when the client goes away.
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
 * router.route({ method: "get", path: "/events/stream", summary: "Live", access: "public" },
 *   (c) => sseStream(c, { deps, pattern: "canary.>", backlog: async () => [] }));
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
  const header = c.req.header("last-event-id")?.trim();
  const resumeFrom = header ? header : undefined;
  const encoder = new TextEncoder();
  const sent = new Set<string>();
  let lastEventId = resumeFrom;
  let closed = false;
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      const send = (events: readonly SseEvent[]) => {
        for (const e of events) {
          if (e.id !== undefined) {
            if (sent.has(e.id)) continue;
            sent.add(e.id);
            if (sent.size > MAX_REMEMBERED_IDS) sent.delete(sent.values().next().value!);
            lastEventId = e.id;
          }
          write(formatEvent(e));
        }
      };
      const fail = (error: unknown) => {
        deps.log.warn("event stream step failed", { pattern: options.pattern, error });
      };
      // Live messages queue behind the backlog, in arrival order.
      let chain: Promise<void> = Promise.resolve()
        .then(() => options.backlog(resumeFrom))
        .then(send, fail);
      const subscription = deps.bus.subscribe(options.pattern, (message) => {
        if (closed) return;
        chain = chain.then(async () => {
          if (closed) return;
          send(await (options.live ?? defaultLive)(message, lastEventId));
        }).catch(fail);
      });
      const keepalive = setInterval(
        () => write(": keepalive\n\n"),
        options.keepaliveMs ?? SSE_KEEPALIVE_MS,
      );
      const signal = c.req.raw.signal;
      const onAbort = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed or cancelled
        }
      };
      let checking = false;
      let checkAgain = false;
      const checkStillSignedIn = () => {
        if (closed) return;
        // A check already under way may have read the session before the change that asked again.
        if (checking) {
          checkAgain = true;
          return;
        }
        checking = true;
        checkSession(deps, session.claims).then((check) => {
          if (check.ok || closed) return;
          deps.log.info("event stream closed: session ended", {
            username: owner.username,
            reason: check.reason,
          });
          write(formatEvent({ event: "session_ended", data: { reason: check.reason } }));
          onAbort();
        }, fail).finally(() => {
          checking = false;
          if (checkAgain) {
            checkAgain = false;
            checkStillSignedIn();
          }
        });
      };
      const sessionTimer = setInterval(checkStillSignedIn, deps.tickets.sessionCheckMs);
      const unwatch = deps.tickets.watch(checkStillSignedIn);
      cleanup = () => {
        if (closed) return;
        closed = true;
        subscription.unsubscribe();
        clearInterval(keepalive);
        clearInterval(sessionTimer);
        unwatch();
        signal.removeEventListener("abort", onAbort);
        deps.tickets.release(owner.uuid);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      if (signal.aborted) onAbort();
      write("retry: 3000\n\n");
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}

function defaultLive(message: BusMessage): SseEvent[] {
  return [{ event: message.topic, data: message.payload }];
}

function formatEvent(e: SseEvent): string {
  const oneLine = (s: string) => s.replace(/[\r\n]/g, " ");
  const id = e.id !== undefined ? `id: ${oneLine(e.id)}\n` : "";
  // JSON.stringify never emits a raw newline, so one data line suffices.
  return `${id}event: ${oneLine(e.event)}\ndata: ${JSON.stringify(e.data ?? null)}\n\n`;
}
