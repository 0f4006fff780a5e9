import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { ApiError, apiFetch } from "./api_fetch.ts";
import { MAX_WEIGHT } from "../realism/realism_config.ts";
import { realismFormErrors, realismFormSettings } from "./realism_form_errors.ts";
import type { RealismForm } from "./realism_form_errors.ts";

/** A content class and the group it belongs to (user, system, canary). */
export interface ClassInfo {
  name: string;
  group: "user" | "system" | "canary";
}

/** Props of {@linkcode RealismConfigForm}. */
export interface RealismConfigFormProps {
  classes: ClassInfo[];
  isAdmin: boolean;
}

interface ApiSettings {
  weights: Record<string, number>;
  canary_probability: number;
  action_weights: Record<"traffic" | "file" | "email", number>;
  llm: Record<string, unknown>;
  stored: boolean;
}

const ACTIONS = ["traffic", "file", "email"] as const;

/** Realism settings: class weights, canary probability and action mix, validated as you type. */
export function RealismConfigForm(props: RealismConfigFormProps): JSX.Element {
  const form = useSignal<RealismForm | null>(null);
  const llm = useSignal<Record<string, unknown>>({});
  const stored = useSignal(false);
  const loadError = useSignal("");
  const serverErrors = useSignal<Record<string, string>>({});
  const notice = useSignal("");
  const busy = useSignal(false);

  useEffect(() => {
    apiFetch<ApiSettings>("/api/v1/realism/config").then((s) => {
      form.value = {
        weights: Object.fromEntries(
          props.classes.map((c) => [c.name, String(s.weights[c.name] ?? 0)]),
        ),
        canary_probability: String(s.canary_probability),
        action_weights: {
          traffic: String(s.action_weights?.traffic ?? 1),
          file: String(s.action_weights?.file ?? 1),
          email: String(s.action_weights?.email ?? 1),
        },
      };
      llm.value = s.llm ?? {};
      stored.value = s.stored;
    }).catch((e) => (loadError.value = (e as Error).message));
  }, []);

  if (loadError.value) return <p class="error" role="alert">{loadError.value}</p>;
  if (!form.value) return <p class="muted">Loading settings…</p>;
  const f = form.value;
  const ruleErrors = realismFormErrors(f);
  const errors = { ...ruleErrors, ...serverErrors.value };
  const valid = Object.keys(ruleErrors).length === 0;

  const update = (next: RealismForm) => {
    form.value = next;
    serverErrors.value = {};
    notice.value = "";
  };

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    if (!valid || !form.value) return;
    busy.value = true;
    try {
      await apiFetch("/api/v1/realism/config", {
        method: "PUT",
        json: { ...realismFormSettings(f), llm: llm.value },
      });
      stored.value = true;
      notice.value = "Saved; the orchestrator picks the settings up within a few ticks";
    } catch (err) {
      const field = err instanceof ApiError && err.field ? err.field.replace(/^body\.?/, "") : "";
      serverErrors.value = { [field || "save"]: (err as Error).message };
    } finally {
      busy.value = false;
    }
  }

  const numberInput = (
    id: string,
    label: string,
    value: string,
    onInput: (v: string) => void,
    opts: { step: string; max: number; error?: string },
  ) => (
    <div class="field" key={id}>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        min="0"
        max={opts.max}
        step={opts.step}
        value={value}
        disabled={!props.isAdmin}
        aria-invalid={Boolean(opts.error)}
        aria-describedby={opts.error ? `${id}-error` : undefined}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
      {opts.error && <span id={`${id}-error`} class="error">{opts.error}</span>}
    </div>
  );

  return (
    <form class="form-grid realism" onSubmit={(e) => void save(e)} noValidate>
      <p class="muted">{stored.value ? "Stored settings" : "Defaults (nothing stored yet)"}</p>
      {errors.weights && <p class="error" role="alert">{errors.weights}</p>}
      {(["user", "system", "canary"] as const).map((group) => (
        <fieldset key={group}>
          <legend>{group} classes</legend>
          <div class="weights">
            {props.classes.filter((c) => c.group === group).map((c) =>
              numberInput(
                `w-${c.name}`,
                c.name,
                f.weights[c.name] ?? "",
                (v) => update({ ...f, weights: { ...f.weights, [c.name]: v } }),
                {
                  step: "any",
                  max: MAX_WEIGHT,
                  error: errors[`weights.${c.name}`],
                },
              )
            )}
          </div>
        </fieldset>
      ))}
      <fieldset>
        <legend>Canary</legend>
        {numberInput(
          "canary-probability",
          "Canary probability (0-1)",
          f.canary_probability,
          (v) => update({ ...f, canary_probability: v }),
          { step: "0.01", max: 1, error: errors.canary_probability },
        )}
      </fieldset>
      <fieldset>
        <legend>Action mix</legend>
        {errors.action_weights && <p class="error" role="alert">{errors.action_weights}</p>}
        <div class="weights">
          {ACTIONS.map((a) =>
            numberInput(
              `a-${a}`,
              a,
              f.action_weights[a],
              (v) => update({ ...f, action_weights: { ...f.action_weights, [a]: v } }),
              {
                step: "any",
                max: MAX_WEIGHT,
                error: errors[`action_weights.${a}`],
              },
            )
          )}
        </div>
      </fieldset>
      {props.isAdmin && (
        <div class="controls">
          <button type="submit" disabled={!valid || busy.value}>Save</button>
          {errors.save && <span class="error" role="alert">{errors.save}</span>}
          {errors[""] && <span class="error" role="alert">{errors[""]}</span>}
        </div>
      )}
      <p class="notice" role="status" aria-live="polite">{notice.value}</p>
    </form>
  );
}
