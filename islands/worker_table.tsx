import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { apiFetch } from "./api_fetch.ts";
import { formatAge } from "./format_age.ts";
import { formatTime } from "./format_time.ts";
import type { WorkerView } from "../web/api/v1/worker_views.ts";

/** Props of {@linkcode WorkerTable}: the rows rendered on the server, and the viewer's role. */
export interface WorkerTableProps {
  workers: WorkerView[];
  isAdmin: boolean;
  /** Refresh interval in ms (0 = never). */
  refreshMs: number;
}

/** Workers with health, uptime, last heartbeat and restarts; start/stop for admins. */
export function WorkerTable(props: WorkerTableProps): JSX.Element {
  const workers = useSignal(props.workers);
  const errors = useSignal<Record<string, string>>({});
  const pending = useSignal<string | null>(null);
  const notice = useSignal<string>("");

  async function refresh(): Promise<void> {
    try {
      const body = await apiFetch<{ items: WorkerView[] }>("/api/v1/workers");
      workers.value = body.items;
    } catch {
      // Keep the last rows; the next tick retries.
    }
  }

  useEffect(() => {
    if (!props.refreshMs) return;
    const id = setInterval(() => void refresh(), props.refreshMs);
    return () => clearInterval(id);
  }, []);

  async function control(name: string, action: "start" | "stop"): Promise<void> {
    pending.value = `${name}:${action}`;
    errors.value = { ...errors.value, [name]: "" };
    try {
      await apiFetch(`/api/v1/workers/${encodeURIComponent(name)}/${action}`, { method: "POST" });
      notice.value = `Asked the supervisor to ${action} ${name}`;
      await refresh();
    } catch (e) {
      errors.value = { ...errors.value, [name]: (e as Error).message };
    } finally {
      pending.value = null;
    }
  }

  if (workers.value.length === 0) {
    return <p class="empty">No worker has reported yet.</p>;
  }
  return (
    <div>
      <p class="notice" role="status" aria-live="polite">{notice.value}</p>
      <table class="data">
        <caption class="sr-only">Workers</caption>
        <thead>
          <tr>
            <th scope="col">Worker</th>
            <th scope="col">Health</th>
            <th scope="col">State</th>
            <th scope="col">Uptime</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Restarts</th>
            {props.isAdmin && <th scope="col">Control</th>}
          </tr>
        </thead>
        <tbody>
          {workers.value.map((w) => (
            <tr key={w.name} data-worker={w.name}>
              <th scope="row">{w.name}</th>
              <td>
                <span class={`badge ${w.healthy ? "ok" : "bad"}`}>
                  {w.healthy ? "healthy" : "unhealthy"}
                </span>
              </td>
              <td>{w.state}</td>
              <td>{formatAge(w.uptime_seconds)}</td>
              <td>
                {w.last_heartbeat
                  ? <time dateTime={w.last_heartbeat}>{formatTime(w.last_heartbeat)}</time>
                  : "never"}
              </td>
              <td>{w.restarts}</td>
              {props.isAdmin && !w.controllable && (
                <td class="controls">
                  <span class="muted">its own unit: systemctl</span>
                </td>
              )}
              {props.isAdmin && w.controllable && (
                <td class="controls">
                  <button
                    type="button"
                    disabled={pending.value !== null}
                    onClick={() => void control(w.name, "start")}
                    aria-label={`Start ${w.name}`}
                  >
                    Start
                  </button>
                  <button
                    type="button"
                    class="danger"
                    disabled={pending.value !== null}
                    onClick={() => void control(w.name, "stop")}
                    aria-label={`Stop ${w.name}`}
                  >
                    Stop
                  </button>
                  {errors.value[w.name] && (
                    <span class="error" role="alert">{errors.value[w.name]}</span>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
