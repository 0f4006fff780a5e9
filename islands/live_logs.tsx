import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import type { ServiceEventPayload } from "../core/bus/mod.ts";
import { followLiveEvents } from "./live_stream.ts";
import { ServiceEventTable } from "./service_event_table.tsx";

/** Props of {@linkcode LiveLogs}. */
export interface LiveLogsProps {
  /** The newest events the server rendered, newest first. */
  events: ServiceEventPayload[];
  /** Rows kept in the table. */
  limit: number;
}

/**
 * The sensor log, live: new events arrive at the top; pausing holds them
 * aside (counted, none lost) until resumed; a filter narrows what is shown
 * by decky, service, kind, source, user or text.
 */
export function LiveLogs(props: LiveLogsProps): JSX.Element {
  const rows = useSignal(props.events);
  const held = useSignal<ServiceEventPayload[]>([]);
  const paused = useSignal(false);
  const filter = useSignal("");
  const live = useSignal(false);

  useEffect(() => {
    const newest = props.events.reduce((n, e) => Math.max(n, e.id), 0);
    return followLiveEvents(["service.*.*.event"], {
      lastEventId: newest > 0 ? `service:${newest}` : "",
      onState: (on) => (live.value = on),
      onEvent: (e) => {
        const event = e.payload as unknown as ServiceEventPayload;
        if (paused.value) held.value = [event, ...held.value];
        else rows.value = merge(rows.value, [event], props.limit);
      },
    });
  }, []);

  const resume = () => {
    rows.value = merge(rows.value, held.value, props.limit);
    held.value = [];
    paused.value = false;
  };
  const needle = filter.value.trim().toLowerCase();
  const shown = needle === ""
    ? rows.value
    : rows.value.filter((e) =>
      [e.decky, e.service, e.kind, e.src_ip, e.username ?? "", e.text ?? ""]
        .some((field) => field.toLowerCase().includes(needle))
    );
  return (
    <div>
      <p class="muted live-state" aria-live="polite">
        <span class={`dot ${live.value && !paused.value ? "on" : ""}`} aria-hidden="true" />
        {paused.value ? `paused, ${held.value.length} new` : live.value ? "live" : "not live"}
      </p>
      <div class="filters">
        <label>
          Filter{" "}
          <input
            type="search"
            value={filter.value}
            onInput={(e) => (filter.value = (e.target as HTMLInputElement).value)}
            data-testid="log-filter"
          />
        </label>
        {paused.value
          ? <button type="button" onClick={resume} data-testid="resume">Resume</button>
          : (
            <button type="button" onClick={() => (paused.value = true)} data-testid="pause">
              Pause
            </button>
          )}
      </div>
      {shown.length === 0
        ? <p class="empty">No sensor event.</p>
        : <ServiceEventTable events={shown} />}
    </div>
  );
}

/** `incoming` (newest first) on top of `rows`, each event once, at most `limit`. */
function merge(
  rows: ServiceEventPayload[],
  incoming: ServiceEventPayload[],
  limit: number,
): ServiceEventPayload[] {
  const seen = new Set(rows.map((r) => r.id));
  const fresh = incoming.filter((e) => !seen.has(e.id)).sort((a, b) => b.id - a.id);
  return [...fresh, ...rows].slice(0, limit);
}
