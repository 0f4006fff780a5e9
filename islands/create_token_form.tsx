import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { ApiError, apiFetch } from "./api_fetch.ts";

/** Props of {@linkcode CreateTokenForm}: what the server knows to offer. */
export interface CreateTokenFormProps {
  generators: { name: string; kind: string; description: string }[];
  blobs: { uuid: string; filename: string }[];
  deckies: string[];
}

/**
 * Issue a canary token from a generator or an uploaded document, then plant
 * it on a decky at a path, or only issue it and download the artifact.
 * API errors appear next to the field that caused them.
 */
export function CreateTokenForm(props: CreateTokenFormProps): JSX.Element {
  const source = useSignal<"generator" | "blob">("generator");
  const generator = useSignal(props.generators[0]?.name ?? "");
  const blob = useSignal(props.blobs[0]?.uuid ?? "");
  const deploy = useSignal(props.deckies.length > 0);
  const decky = useSignal(props.deckies[0] ?? "");
  const path = useSignal("");
  const errors = useSignal<Record<string, string>>({});
  const busy = useSignal(false);
  const created = useSignal<{ uuid: string; state: string } | null>(null);

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    errors.value = {};
    created.value = null;
    busy.value = true;
    try {
      // A generator decides its callback kind; uploads make http bait.
      const kind = source.value === "generator"
        ? props.generators.find((g) => g.name === generator.value)?.kind ?? "http"
        : "http";
      const body: Record<string, unknown> = { kind, deploy: deploy.value };
      if (source.value === "generator") body.generator = generator.value;
      else body.blob_uuid = blob.value;
      if (deploy.value) {
        body.decky_name = decky.value;
        if (path.value.trim()) body.placement_path = path.value.trim();
      }
      const token = await apiFetch<{ uuid: string; state: string }>("/api/v1/canary/tokens", {
        method: "POST",
        json: body,
      });
      created.value = token;
      if (deploy.value) location.assign(`/canary/${encodeURIComponent(token.uuid)}`);
    } catch (err) {
      const field = err instanceof ApiError && err.field
        ? err.field.replace(/^body\./, "")
        : "form";
      errors.value = { [field]: (err as Error).message };
    } finally {
      busy.value = false;
    }
  }

  const err = (field: string) =>
    errors.value[field]
      ? <span id={`tok-${field}-error`} class="error" role="alert">{errors.value[field]}</span>
      : null;

  return (
    <form class="form-grid" onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>Bait</legend>
        <div class="field check">
          <input
            type="radio"
            id="src-gen"
            name="source"
            checked={source.value === "generator"}
            onChange={() => (source.value = "generator")}
          />
          <label for="src-gen">From a generator</label>
          <input
            type="radio"
            id="src-blob"
            name="source"
            checked={source.value === "blob"}
            disabled={props.blobs.length === 0}
            onChange={() => (source.value = "blob")}
          />
          <label for="src-blob">From an uploaded document</label>
        </div>
        {source.value === "generator"
          ? (
            <div class="field">
              <label for="tok-generator">Bait generator</label>
              <select
                id="tok-generator"
                value={generator.value}
                onChange={(e) => (generator.value = (e.target as HTMLSelectElement).value)}
              >
                {props.generators.map((g) => (
                  <option key={g.name} value={g.name}>{g.name}: {g.description}</option>
                ))}
              </select>
              {err("generator")}
            </div>
          )
          : (
            <div class="field">
              <label for="tok-blob">Document</label>
              <select
                id="tok-blob"
                value={blob.value}
                onChange={(e) => (blob.value = (e.target as HTMLSelectElement).value)}
              >
                {props.blobs.map((b) => <option key={b.uuid} value={b.uuid}>{b.filename}</option>)}
              </select>
              {err("blob_uuid")}
            </div>
          )}
        <p class="muted">
          Callback: {source.value === "generator"
            ? props.generators.find((g) => g.name === generator.value)?.kind ?? "-"
            : "http"}
        </p>
        {err("kind")}
      </fieldset>
      <fieldset>
        <legend>Placement</legend>
        <div class="field check">
          <input
            id="tok-deploy"
            type="checkbox"
            checked={deploy.value}
            onChange={(e) => (deploy.value = (e.target as HTMLInputElement).checked)}
          />
          <label for="tok-deploy">Plant on a decky (else issue only and download)</label>
        </div>
        {deploy.value && (
          <>
            <div class="field">
              <label for="tok-decky">Decky</label>
              <select
                id="tok-decky"
                value={decky.value}
                onChange={(e) => (decky.value = (e.target as HTMLSelectElement).value)}
              >
                {props.deckies.map((d) => <option key={d} value={d}>{d}</option>)}
              </select>
              {err("decky_name")}
            </div>
            <div class="field">
              <label for="tok-path">Path (optional; default from the generator)</label>
              <input
                id="tok-path"
                value={path.value}
                placeholder="/home/user/.aws/credentials"
                onInput={(e) => (path.value = (e.target as HTMLInputElement).value)}
              />
              {err("placement_path")}
            </div>
          </>
        )}
      </fieldset>
      <div class="controls">
        <button type="submit" disabled={busy.value}>Create token</button>
        {err("form")}
        {err("deploy")}
        {err("persona")}
      </div>
      {created.value && !deploy.value && (
        <p role="status">
          Token issued.{" "}
          <a href={`/api/v1/canary/tokens/${encodeURIComponent(created.value.uuid)}/artifact`}>
            Download the artifact
          </a>{" "}
          or <a href={`/canary/${encodeURIComponent(created.value.uuid)}`}>open the token</a>.
        </p>
      )}
    </form>
  );
}
