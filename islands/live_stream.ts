import { ApiError, apiFetch } from "./api_fetch.ts";

/** One live event: its family (`canary`, `decky`, `orchestrator`, `health`), bus topic and payload. */
export interface LiveEvent {
  family: string;
  topic: string;
  payload: Record<string, unknown>;
  /** The stream position after it (`trigger:<id>,event:<id>,email:<id>`); "" before any row. */
  lastEventId: string;
}

/** What {@linkcode followLiveEvents} calls, and where it starts. */
export interface LiveEventHandlers {
  onEvent(event: LiveEvent): void;
  onOpen?(): void;
  onState?(live: boolean): void;
  /** Position of the rows the page already shows: the first connection resumes after them. */
  lastEventId?: string;
}

/** The event names the stream sends bus events under. */
const FAMILIES = [
  "canary",
  "orchestrator",
  "decky",
  "health",
  "service",
  "attacker",
  "identity",
  "campaign",
];
/** Longest wait between reconnection attempts. */
const MAX_BACKOFF_MS = 15_000;

/**
 * Follows `/api/v1/events/stream` for the given bus topic patterns
 * (`canary.*.triggered`, `orchestrator.>`, `decky.*.state`). EventSource
 * would retry with its spent ticket, so on any error this closes it, waits
 * (1 s doubling to 15 s), gets a fresh ticket and reconnects with the last
 * event id it saw: the server sends the stored rows missed meanwhile
 * (triggers, orchestrator events), each once. Events without a row (decky
 * states, health) are live only, so `onOpen` runs on every (re)connection
 * for callers to refetch those. Returns a function that stops it.
 *
 * When the session is over (the stream says `session_ended` after a logout,
 * a password change or the user's removal, or the ticket request gets 401)
 * retrying cannot help: it stops and sends the browser to the login page,
 * which brings it back to this page after signing in.
 *
 * @example
 * ```ts
 * const stop = followLiveEvents(["canary.*.triggered"], {
 *   onEvent: (e) => console.info(e.topic),
 * });
 * ```
 */
export function followLiveEvents(
  topics: string[],
  handlers: LiveEventHandlers,
): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let backoff = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastEventId = handlers.lastEventId ?? "";

  const schedule = () => {
    if (stopped) return;
    handlers.onState?.(false);
    timer = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const signedOut = () => {
    stopped = true;
    source?.close();
    handlers.onState?.(false);
    const { pathname, search } = globalThis.location;
    globalThis.location.assign(`/login?next=${encodeURIComponent(pathname + search)}`);
  };

  const connect = async () => {
    if (stopped) return;
    let ticket: string;
    try {
      ticket = (await apiFetch<{ ticket: string }>("/api/v1/auth/sse-ticket", { method: "POST" }))
        .ticket;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedOut();
      else schedule();
      return;
    }
    if (stopped) return;
    const query = new URLSearchParams(topics.map((t) => ["topic", t]));
    query.set("ticket", ticket);
    if (lastEventId) query.set("last_event_id", lastEventId);
    const url = `/api/v1/events/stream?${query}`;
    const es = new EventSource(url);
    source = es;
    es.onopen = () => {
      backoff = 1000;
      handlers.onState?.(true);
      handlers.onOpen?.();
    };
    es.onerror = () => {
      es.close();
      if (source === es) source = null;
      schedule();
    };
    es.addEventListener("session_ended", signedOut);
    const remember = (e: Event) => {
      const id = (e as MessageEvent<string>).lastEventId;
      if (id) lastEventId = id;
    };
    es.addEventListener("ready", remember);
    for (const family of FAMILIES) {
      es.addEventListener(family, (e) => {
        remember(e);
        try {
          const data = JSON.parse((e as MessageEvent<string>).data) as {
            topic: string;
            payload: Record<string, unknown>;
          };
          handlers.onEvent({ family, topic: data.topic, payload: data.payload, lastEventId });
        } catch {
          // ignore a malformed event
        }
      });
    }
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
