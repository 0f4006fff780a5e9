import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { apiErrorText } from "./api_error_text.ts";
import { apiFetch } from "./api_fetch.ts";
import { ALERT_CHANNELS_CHANGED } from "./alert_channels.tsx";
import type { AlertRuleRecord } from "../core/db/repositories/alerts_repository.ts";

/** Props of {@linkcode AlertRules}. */
export interface AlertRulesProps {
  rules: AlertRuleRecord[];
  /** Channel ids and names, for the form and the table. */
  channels: { id: number; name: string }[];
  /** The event kinds and severities a rule can take. */
  events: string[];
  severities: string[];
  isAdmin: boolean;
}

/** Alert rules; admins add and remove them. */
export function AlertRules(props: AlertRulesProps): JSX.Element {
  const rules = useSignal(props.rules);
  const channels = useSignal(props.channels);
  const error = useSignal("");
  const draft = useSignal({
    name: "",
    events: [] as string[],
    channel_ids: [] as number[],
    severity: "high",
    throttle_seconds: 600,
    digest_seconds: 0,
  });
  const channelName = (id: number) => channels.value.find((c) => c.id === id)?.name ?? `#${id}`;

  useEffect(() => {
    const reread = () =>
      void apiFetch<{ items: { id: number; name: string }[] }>("/api/v1/alerts/channels")
        .then((body) => channels.value = body.items.map((c) => ({ id: c.id, name: c.name })))
        .catch(() => {});
    globalThis.addEventListener(ALERT_CHANNELS_CHANGED, reread);
    return () => globalThis.removeEventListener(ALERT_CHANNELS_CHANGED, reread);
  }, []);

  async function refresh(): Promise<void> {
    rules.value = (await apiFetch<{ items: AlertRuleRecord[] }>("/api/v1/alerts/rules")).items;
  }

  async function remove(id: number): Promise<void> {
    error.value = "";
    try {
      await apiFetch(`/api/v1/alerts/rules/${id}`, { method: "DELETE" });
      await refresh();
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function add(event: Event): Promise<void> {
    event.preventDefault();
    error.value = "";
    try {
      await apiFetch("/api/v1/alerts/rules", { method: "POST", json: draft.value });
      draft.value = { ...draft.value, name: "" };
      await refresh();
    } catch (e) {
      error.value = apiErrorText(e);
    }
  }

  const toggle = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  return (
    <div>
      {rules.value.length === 0 ? <p class="empty">No alert rule yet.</p> : (
        <table class="data">
          <caption class="sr-only">Alert rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Events</th>
              <th scope="col">Severity</th>
              <th scope="col">Pace</th>
              <th scope="col">Channels</th>
              {props.isAdmin && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rules.value.map((r) => (
              <tr key={r.id} data-rule={r.name}>
                <th scope="row">{r.name}{r.enabled ? "" : " (disabled)"}</th>
                <td>{r.events.join(", ")}</td>
                <td>{r.severity}</td>
                <td>
                  {r.digest_seconds > 0
                    ? `digest every ${r.digest_seconds} s`
                    : `1 per ${r.throttle_seconds} s by ${r.dedupe_by.join(", ") || "rule"}`}
                </td>
                <td>{r.channel_ids.map(channelName).join(", ")}</td>
                {props.isAdmin && (
                  <td>
                    <button type="button" class="danger" onClick={() => void remove(r.id)}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.isAdmin && (
        <form class="stack" onSubmit={(e) => void add(e)}>
          <h3>Add a rule</h3>
          <label>
            Name
            <input
              name="rule-name"
              required
              value={draft.value.name}
              onInput={(e) => draft.value = { ...draft.value, name: e.currentTarget.value }}
            />
          </label>
          <fieldset>
            <legend>Events</legend>
            {props.events.map((kind) => (
              <label key={kind}>
                <input
                  type="checkbox"
                  name="event"
                  value={kind}
                  checked={draft.value.events.includes(kind)}
                  onChange={() =>
                    draft.value = { ...draft.value, events: toggle(draft.value.events, kind) }}
                />
                {kind}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Channels</legend>
            {channels.value.map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  name="channel"
                  value={c.id}
                  checked={draft.value.channel_ids.includes(c.id)}
                  onChange={() =>
                    draft.value = {
                      ...draft.value,
                      channel_ids: toggle(draft.value.channel_ids, c.id),
                    }}
                />
                {c.name}
              </label>
            ))}
          </fieldset>
          <label>
            Severity
            <select
              name="severity"
              value={draft.value.severity}
              onChange={(e) => draft.value = { ...draft.value, severity: e.currentTarget.value }}
            >
              {props.severities.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <label>
            One alert per token and source every (seconds; 0 sends all)
            <input
              type="number"
              name="throttle"
              min={0}
              value={draft.value.throttle_seconds}
              onInput={(e) =>
                draft.value = { ...draft.value, throttle_seconds: Number(e.currentTarget.value) }}
            />
          </label>
          <label>
            Digest every (seconds; 0: single alerts)
            <input
              type="number"
              name="digest"
              min={0}
              value={draft.value.digest_seconds}
              onInput={(e) =>
                draft.value = { ...draft.value, digest_seconds: Number(e.currentTarget.value) }}
            />
          </label>
          <button type="submit">Add rule</button>
          {error.value && <p class="error" role="alert">{error.value}</p>}
        </form>
      )}
    </div>
  );
}
