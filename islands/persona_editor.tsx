import { DataTable } from "./data_table.tsx";
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { useReturningDialog } from "./use_returning_dialog.ts";
import { apiFetch } from "./api_fetch.ts";
import { parsePersonas } from "../realism/parse_personas.ts";
import { TONES } from "../realism/persona.ts";
import type { Persona } from "../realism/persona.ts";
import { cleanPersonaDraft, personaDraftErrors } from "./persona_draft_errors.ts";

/** Props of {@linkcode PersonaEditor}. */
export interface PersonaEditorProps {
  /** GET lists the pool, PUT replaces it (`/api/v1/realism/personas`). */
  endpoint: string;
  isAdmin: boolean;
}

const EMPTY: Persona = {
  name: "",
  email: "",
  role: "",
  tone: "formal",
  mannerisms: [],
  language: "en",
  active_hours: "09:00-17:00",
  reply_latency: "10m-4h",
  uses_llms_heavily: false,
};

/**
 * A persona pool as a table; add and edit in a dialog with the full
 * schema, validated as you type; edits are batched (dirty indicator) until
 * Save or Discard; duplicate email addresses are refused before saving.
 */
export function PersonaEditor(props: PersonaEditorProps): JSX.Element {
  const saved = useSignal<Persona[]>([]);
  const items = useSignal<Persona[]>([]);
  const loadError = useSignal("");
  const loaded = useSignal(false);
  const saveError = useSignal("");
  const notice = useSignal("");
  const busy = useSignal(false);
  const editing = useSignal<number | null>(null); // index, or -1 for a new persona
  const draft = useSignal<Persona>(EMPTY);
  const dialog = useReturningDialog(() => (editing.value = null));

  async function load(): Promise<void> {
    try {
      const body = await apiFetch<{ items: Persona[] }>(props.endpoint);
      saved.value = body.items;
      items.value = body.items;
      loadError.value = "";
    } catch (e) {
      loadError.value = (e as Error).message;
    } finally {
      loaded.value = true;
    }
  }
  useEffect(() => void load(), []);

  const dirty = JSON.stringify(items.value) !== JSON.stringify(saved.value);
  const others = items.value.filter((_, i) => i !== editing.value);
  const errors = personaDraftErrors(draft.value, others);
  const valid = Object.keys(errors).length === 0;

  function open(index: number, button: HTMLElement): void {
    editing.value = index;
    draft.value = index < 0 ? { ...EMPTY } : { ...items.value[index] };
    dialog.open(button);
  }

  function apply(e: Event): void {
    e.preventDefault();
    if (!valid || editing.value === null) return;
    const clean = cleanPersonaDraft(draft.value);
    const next = [...items.value];
    if (editing.value < 0) next.push(clean);
    else next[editing.value] = clean;
    items.value = next;
    notice.value = `${clean.name} ${editing.value < 0 ? "added" : "changed"} (not saved yet)`;
    dialog.close();
  }

  function remove(index: number): void {
    const name = items.value[index].name;
    items.value = items.value.filter((_, i) => i !== index);
    notice.value = `${name} removed (not saved yet)`;
  }

  async function save(): Promise<void> {
    saveError.value = "";
    const { dropped } = parsePersonas(items.value);
    if (dropped.length > 0) {
      saveError.value = `Cannot save: ${
        dropped.map((d) => `${d.name ?? `entry ${d.index + 1}`}: ${d.reason}`).join("; ")
      }`;
      return;
    }
    busy.value = true;
    try {
      const body = await apiFetch<{ items: Persona[]; dropped: { reason: string }[] }>(
        props.endpoint,
        { method: "PUT", json: items.value },
      );
      saved.value = body.items;
      items.value = body.items;
      notice.value = body.dropped.length
        ? `Saved; ${body.dropped.length} dropped: ${body.dropped.map((d) => d.reason).join("; ")}`
        : `Saved ${body.items.length} personas`;
    } catch (e) {
      saveError.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  }

  function discard(): void {
    items.value = saved.value;
    saveError.value = "";
    notice.value = "Changes discarded";
  }

  const set = (field: keyof Persona) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    let value: unknown = el.value;
    if (field === "uses_llms_heavily") value = el.checked;
    if (field === "mannerisms") value = el.value.split("\n").filter((l) => l.trim() !== "");
    draft.value = { ...draft.value, [field]: value };
  };
  const field = (
    name: keyof Persona,
    label: string,
    input: (id: string, describedBy: string | undefined) => JSX.Element,
  ) => {
    const id = `persona-${name}`;
    const err = errors[name];
    return (
      <div class="field">
        <label for={id}>{label}</label>
        {input(id, err ? `${id}-error` : undefined)}
        {err && <span id={`${id}-error`} class="error">{err}</span>}
      </div>
    );
  };
  const text = (name: keyof Persona, label: string) =>
    field(name, label, (id, describedBy) => (
      <input
        id={id}
        value={String(draft.value[name] ?? "")}
        onInput={set(name)}
        aria-invalid={Boolean(errors[name])}
        aria-describedby={describedBy}
      />
    ));

  if (!loaded.value) return <p class="muted">Loading personas…</p>;
  if (loadError.value) return <p class="error" role="alert">{loadError.value}</p>;
  return (
    <div>
      {props.isAdmin && (
        <div class="toolbar">
          <button type="button" onClick={(e) => open(-1, e.currentTarget as HTMLElement)}>
            Add persona
          </button>
          {dirty && <span class="badge warn" data-testid="dirty">unsaved changes</span>}
          <button type="button" disabled={!dirty || busy.value} onClick={() => void save()}>
            Save
          </button>
          <button type="button" class="secondary" disabled={!dirty} onClick={discard}>
            Discard
          </button>
          {saveError.value && <span class="error" role="alert">{saveError.value}</span>}
        </div>
      )}
      <p class="notice" role="status" aria-live="polite">{notice.value}</p>
      {items.value.length === 0 ? <p class="empty">No persona.</p> : (
        <DataTable
          columns={[
            "Name",
            "Email",
            "Role",
            "Tone",
            "Language",
            "Active hours",
            "Reply latency",
            ...(props.isAdmin ? ["Actions"] : []),
          ]}
          testId="personas"
        >
          {items.value.map((p, i) => (
            <tr key={`${i}:${p.email}`} data-persona={p.name}>
              <th scope="row">{p.name}</th>
              <td>{p.email}</td>
              <td>{p.role}</td>
              <td>{p.tone}</td>
              <td>{p.language}</td>
              <td>{p.active_hours}</td>
              <td>{p.reply_latency}</td>
              {props.isAdmin && (
                <td class="controls">
                  <button
                    type="button"
                    class="secondary"
                    onClick={(e) => open(i, e.currentTarget as HTMLElement)}
                    aria-label={`Edit ${p.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="danger"
                    onClick={() => remove(i)}
                    aria-label={`Remove ${p.name}`}
                  >
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      <dialog
        ref={dialog.ref}
        class="modal"
        aria-labelledby="persona-dialog-h"
        onClose={dialog.onClose}
      >
        {editing.value !== null && (
          <form onSubmit={apply} class="form-grid">
            <h2 id="persona-dialog-h">{editing.value < 0 ? "Add persona" : "Edit persona"}</h2>
            {text("name", "Name")}
            {text("email", "Email")}
            {text("role", "Role")}
            {field(
              "tone",
              "Tone",
              (id, d) => (
                <select
                  id={id}
                  value={draft.value.tone}
                  onChange={set("tone")}
                  aria-describedby={d}
                >
                  {TONES.map((t) => <option key={t} value={t}>{t}</option>)}
                </select>
              ),
            )}
            {text("language", "Language (ISO 639-1)")}
            {text("active_hours", "Active hours (HH:MM-HH:MM)")}
            {text("reply_latency", "Reply latency (e.g. 10m-4h)")}
            {text("timezone", "Time zone (IANA, optional)")}
            {field("signature", "Signature (optional)", (id, d) => (
              <textarea
                id={id}
                rows={3}
                value={draft.value.signature ?? ""}
                onInput={set("signature")}
                aria-describedby={d}
              />
            ))}
            {field("mannerisms", "Mannerisms (one per line)", (id, d) => (
              <textarea
                id={id}
                rows={3}
                value={draft.value.mannerisms.join("\n")}
                onInput={set("mannerisms")}
                aria-describedby={d}
              />
            ))}
            <div class="field check">
              <input
                id="persona-llm"
                type="checkbox"
                checked={draft.value.uses_llms_heavily}
                onChange={set("uses_llms_heavily")}
              />
              <label for="persona-llm">Uses LLMs heavily</label>
            </div>
            <div class="controls">
              <button type="submit" disabled={!valid}>Apply</button>
              <button type="button" class="secondary" onClick={dialog.close}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </dialog>
    </div>
  );
}
