import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { apiFetch } from "./api_fetch.ts";

/** Props of {@linkcode TokenActions}. */
export interface TokenActionsProps {
  uuid: string;
  state: string;
}

/** Admin actions on one token: download its artifact, revoke it (after a confirmation step). */
export function TokenActions(props: TokenActionsProps): JSX.Element {
  const state = useSignal(props.state);
  const confirming = useSignal(false);
  const error = useSignal("");
  const busy = useSignal(false);

  async function revoke(): Promise<void> {
    busy.value = true;
    error.value = "";
    try {
      const token = await apiFetch<{ state: string }>(
        `/api/v1/canary/tokens/${encodeURIComponent(props.uuid)}`,
        { method: "DELETE" },
      );
      state.value = token?.state ?? "revoked";
      confirming.value = false;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  }

  return (
    <div class="controls">
      <span>
        State: <span class={`badge ${state.value}`} data-testid="token-state">{state.value}</span>
      </span>
      <a class="button secondary" href={`/api/v1/canary/tokens/${props.uuid}/artifact`}>
        Download artifact
      </a>
      {state.value !== "revoked" && !confirming.value && (
        <button type="button" class="danger" onClick={() => (confirming.value = true)}>
          Revoke
        </button>
      )}
      {confirming.value && (
        <>
          <span>Revoke this token and remove its planted file?</span>
          <button type="button" class="danger" disabled={busy.value} onClick={() => void revoke()}>
            Yes, revoke
          </button>
          <button type="button" class="secondary" onClick={() => (confirming.value = false)}>
            Cancel
          </button>
        </>
      )}
      {error.value && <span class="error" role="alert">{error.value}</span>}
    </div>
  );
}
