import { type Signal, useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { apiFetch } from "./api_fetch.ts";
import { followLiveEvents } from "./live_stream.ts";

/** How long a burst of events is gathered before the API is read again. */
const REFRESH_MS = 1000;

/**
 * Keeps `target` what the API says: an event of `topics` on the live feed
 * wakes the island, which reads `path` again (at most once a second) and
 * stores `select` of the answer, so what it shows is always the API's and
 * never a copy rebuilt from events. Returns whether the feed is live.
 *
 * @example
 * ```ts
 * import { useSignal } from "@preact/signals";
 * import { useLiveRead } from "./use_live_read.ts";
 * function Rows() {
 *   const rows = useSignal<unknown[]>([]);
 *   const live = useLiveRead(rows, "/api/v1/attackers", ["service.*.*.event"],
 *     (body: { items: unknown[] }) => body.items);
 *   return live.value ? rows.value.length : 0;
 * }
 * ```
 */
export function useLiveRead<T, Body = T>(
  target: Signal<T>,
  path: string,
  topics: string[],
  select: (body: Body) => T = (body) => body as unknown as T,
): Signal<boolean> {
  const live = useSignal(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      apiFetch<Body>(path)
        .then((body) => (target.value = select(body)))
        .catch(() => {}); // the next event tries again
    };
    const stop = followLiveEvents(topics, {
      onState: (on) => (live.value = on),
      onEvent: () => {
        timer ??= setTimeout(refresh, REFRESH_MS);
      },
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, []);
  return live;
}
