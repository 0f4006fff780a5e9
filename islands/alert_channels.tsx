import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { apiErrorText } from "./api_error_text.ts";
import { apiFetch } from "./api_fetch.ts";
import type { AlertChannelView } from "../core/alerts/alert_channel_view.ts";

/** Window event sent when the channels changed (the rules island rereads them). */
export const ALERT_CHANNELS_CHANGED = "alert-channels-changed";

/** Props of {@linkcode AlertChannels}. */
export interface AlertChannelsProps {
  channels: AlertChannelView[];
  isAdmin: boolean;
  /** How long "send test alert" follows its delivery, in ms. */
  testWaitMs: number;
}

interface Delivery {
  state: string;
  last_error: string | null;
}

/** What a channel may take besides rule hits, as its settings name them and the page labels them. */
const FEEDS = [["event_stream", "Event stream"], ["audit_log", "Audit log"]] as const;

const EXAMPLE_CONFIG =
  '{"type": "webhook", "url": "https://chat.lan/hooks/soc", "secret": "at least 16 characters"}';

/**
 * Alert channels with their health; admins add, enable, disable and remove
 * them and send a test alert, whose delivery the row follows until it is
 * delivered or failed.
 */
export function AlertChannels(props: AlertChannelsProps): JSX.Element {
  const channels = useSignal(props.channels);
  const status = useSignal<Record<number, string>>({});
  const error = useSignal("");
  const name = useSignal("");
  const config = useSignal("");

  async function refresh(): Promise<void> {
    channels.value =
      (await apiFetch<{ items: AlertChannelView[] }>("/api/v1/alerts/channels")).items;
    // The rules form on the same page offers these channels.
    globalThis.dispatchEvent(new CustomEvent(ALERT_CHANNELS_CHANGED));
  }

  const setStatus = (id: number, text: string) => status.value = { ...status.value, [id]: text };

  async function act(id: number, run: () => Promise<unknown>): Promise<void> {
    setStatus(id, "");
    try {
      await run();
      await refresh();
    } catch (e) {
      setStatus(id, (e as Error).message);
    }
  }

  async function sendTest(channel: AlertChannelView): Promise<void> {
    setStatus(channel.id, "Sending test alert…");
    try {
      const queued = await apiFetch<{ alert_id: string }>(
        `/api/v1/alerts/channels/${channel.id}/test`,
        { method: "POST" },
      );
      const deadline = Date.now() + props.testWaitMs;
      for (;;) {
        const { items } = await apiFetch<{ items: Delivery[] }>(
          `/api/v1/alerts/deliveries?alert_id=${encodeURIComponent(queued.alert_id)}`,
        );
        const d = items[0];
        if (d && d.state !== "pending") {
          setStatus(
            channel.id,
            d.state === "delivered" ? "Test alert delivered" : `Test alert failed: ${d.last_error}`,
          );
          break;
        }
        if (Date.now() > deadline) {
          setStatus(
            channel.id,
            `Test alert still pending${d?.last_error ? `: ${d.last_error}` : ""}`,
          );
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      await refresh();
    } catch (e) {
      setStatus(channel.id, (e as Error).message);
    }
  }

  async function add(event: Event): Promise<void> {
    event.preventDefault();
    error.value = "";
    let parsed: unknown;
    try {
      parsed = JSON.parse(config.value);
    } catch {
      error.value = "Settings: expected a JSON object";
      return;
    }
    try {
      await apiFetch("/api/v1/alerts/channels", {
        method: "POST",
        json: { name: name.value, config: parsed },
      });
      name.value = "";
      config.value = "";
      await refresh();
    } catch (e) {
      error.value = apiErrorText(e);
    }
  }

  return (
    <div>
      {channels.value.length === 0
        ? <p class="empty">No alert channel yet.</p>
        : (
          <table class="data">
            <caption class="sr-only">Alert channels</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Type</th>
                <th scope="col">Destination</th>
                <th scope="col">State</th>
                <th scope="col">Also takes</th>
                {props.isAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {channels.value.map((c) => (
                <tr key={c.id} data-channel={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>{c.type}</td>
                  <td>{c.destinations.join(", ") || String(c.config.path ?? "")}</td>
                  <td>
                    <span class={`badge ${c.enabled ? "ok" : "bad"}`}>
                      {c.enabled ? "enabled" : "disabled"}
                    </span>
                    {c.disabled_reason && <div class="error">{c.disabled_reason}</div>}
                    {c.enabled && c.consecutive_failures > 0 && (
                      <div class="error">
                        {c.consecutive_failures} failures; last: {c.last_error}
                      </div>
                    )}
                  </td>
                  <td>
                    {props.isAdmin
                      ? FEEDS.map(([key, label]) => (
                        <label key={key} class="check">
                          <input
                            type="checkbox"
                            checked={c.config[key] === true}
                            aria-label={`${label} to ${c.name}`}
                            onChange={(e) => {
                              const on = e.currentTarget.checked;
                              void act(c.id, () =>
                                apiFetch(`/api/v1/alerts/channels/${c.id}`, {
                                  method: "PUT",
                                  // Settings as listed (credentials left out: the API keeps them).
                                  json: { config: { ...c.config, [key]: on } },
                                }));
                            }}
                          />
                          {label}
                        </label>
                      ))
                      : FEEDS.filter(([key]) => c.config[key] === true).map(([, label]) => label)
                        .join(", ") || "-"}
                  </td>
                  {props.isAdmin && (
                    <td class="controls">
                      <button type="button" disabled={!c.enabled} onClick={() => void sendTest(c)}>
                        Send test alert
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() =>
                          void act(c.id, () =>
                            apiFetch(`/api/v1/alerts/channels/${c.id}`, {
                              method: "PUT",
                              json: { enabled: !c.enabled },
                            }))}
                      >
                        {c.enabled ? "Disable" : "Enable"}
                      </button>
                      <button
                        type="button"
                        class="danger"
                        onClick={() =>
                          void act(
                            c.id,
                            () => apiFetch(`/api/v1/alerts/channels/${c.id}`, { method: "DELETE" }),
                          )}
                      >
                        Remove
                      </button>
                      <span role="status" data-testid="channel-status">
                        {status.value[c.id] ?? ""}
                      </span>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {props.isAdmin && (
        <form class="stack" onSubmit={(e) => void add(e)}>
          <h3>Add a channel</h3>
          <label>
            Name
            <input
              name="name"
              required
              value={name.value}
              onInput={(e) => name.value = e.currentTarget.value}
            />
          </label>
          <label>
            Settings (JSON: syslog, smtp, webhook or file)
            <textarea
              name="config"
              rows={4}
              required
              placeholder={EXAMPLE_CONFIG}
              value={config.value}
              onInput={(e) => config.value = e.currentTarget.value}
            />
          </label>
          <button type="submit">Add channel</button>
          {error.value && <p class="error" role="alert">{error.value}</p>}
        </form>
      )}
    </div>
  );
}
