import { parseEnv } from "node:util";
import { resolve } from "node:path";
import type { Config } from "./config.ts";
import { ConfigError } from "./config_error.ts";
import type { ConfigIssue } from "./config_error.ts";
import { CONFIG_VARIABLES } from "./config_variables.ts";

/** The variable naming an env file; read before every other. */
export const ENV_FILE_VARIABLE = "DECNET_ENV_FILE";

/** Options for {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** `--env-file`: wins over DECNET_ENV_FILE and `.env.local`. */
  envFile?: string;
  /** Where `.env.local` is looked for. @default Deno.cwd() */
  cwd?: string;
  /** Reads a file's text; tests pass a fake. @default Deno.readTextFileSync */
  readTextFile?: (path: string) => string;
}

/**
 * Builds the one frozen {@linkcode Config} from environment variables plus an
 * optional env file (real environment wins over the file). Every bad
 * variable is reported at once.
 *
 * @throws {ConfigError} listing each bad or unknown variable with an example
 * @example
 * ```ts
 * const config = loadConfig(Deno.env.toObject(), { envFile: "/etc/decnet/env" });
 * ```
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: LoadConfigOptions = {},
): Config {
  const read = options.readTextFile ?? Deno.readTextFileSync;
  const cwd = options.cwd ?? Deno.cwd();
  const issues: ConfigIssue[] = [];
  let envFile: string | null = null;
  let fromFile: Record<string, string | undefined> = {};

  const explicit = options.envFile ?? (env[ENV_FILE_VARIABLE] || undefined);
  const candidate = explicit !== undefined ? resolve(cwd, explicit) : resolve(cwd, ".env.local");
  try {
    fromFile = { ...parseEnv(read(candidate)) };
    envFile = candidate;
  } catch (e) {
    const missing = e instanceof Deno.errors.NotFound;
    if (explicit !== undefined || !missing) {
      const source = options.envFile !== undefined ? "--env-file" : ENV_FILE_VARIABLE;
      issues.push({
        variable: ENV_FILE_VARIABLE,
        message: `Cannot read env file ${candidate} (${source}): ${
          missing ? "no such file" : (e as Error).message
        }`,
      });
    }
  }

  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;

  const known = new Set([ENV_FILE_VARIABLE, ...CONFIG_VARIABLES.map((v) => v.name)]);
  for (const name of Object.keys(merged)) {
    if (name.startsWith("DECNET_") && !known.has(name)) {
      const hint = closestName(name, [...known]);
      issues.push({
        variable: name,
        message: `Unknown variable ${name}${hint ? `: did you mean ${hint}?` : ""}`,
      });
    }
  }

  const draft: Partial<Config> = { envFile };
  for (const variable of CONFIG_VARIABLES) {
    const raw = merged[variable.name];
    try {
      variable.apply(raw, draft, cwd);
    } catch (e) {
      if (!(e instanceof SyntaxError || e instanceof RangeError)) throw e;
      const shown = variable.secret ? "(hidden)" : JSON.stringify(raw ?? "");
      issues.push({
        variable: variable.name,
        message:
          `Cannot read ${variable.name}: ${e.message}, got ${shown} (example: ${variable.name}=${variable.example})`,
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.freeze(draft as Config);
}

function closestName(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
