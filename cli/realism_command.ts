import { dirname } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { printError, printLine } from "../core/log/mod.ts";
import { readProcessEnv } from "../core/config/mod.ts";
import {
  decide,
  type EditCandidate,
  isCanary,
  makeBody,
  mulberry32,
  nextIteration,
  parsePersonas,
  type Persona,
  PersonaPool,
  type PlannerDecky,
  resolveTimeZone,
  SYSTEM_PERSONAS_PATH,
} from "../realism/mod.ts";
import examplePersonas from "../deploy/personas.example.json" with { type: "json" };
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./cli_error.ts";
import { intOption } from "./parse_options.ts";

/** `decnet realism import-personas|preview`. */
export function realismCommand(): Command {
  const realism = new Command("realism").description(
    "Personas and a dry run of the realism planner",
  );

  realism.command("import-personas")
    .description("Validate a persona file and install it as the global persona pool")
    .argument("<file>", "JSON array of personas")
    .option("-o, --output <path>", "where to write (default: the configured pool path)")
    .option("--json", "print the result as JSON")
    .action(
      async (file: string, options: { output?: string; json?: boolean }, command: Command) => {
        const config = configFor(command);
        if (config.mode === "agent") {
          throw new CliError(
            "Refusing to import personas on an agent host (DECNET_MODE=agent): import them on the master",
            EXIT_USAGE,
          );
        }
        const { personas, dropped } = parsePersonas(await readJsonFile(file));
        for (const d of dropped) {
          printError(`Dropped entry ${d.index}${d.name ? ` (${d.name})` : ""}: ${d.reason}`);
        }
        if (personas.length === 0) {
          throw new CliError(`Refusing to write: no valid persona in ${file}`, EXIT_FAILURE);
        }
        if (personas.length < 2) {
          printError("Warning: fewer than two personas; mail between deckies needs at least two");
        }
        const env = readProcessEnv();
        const output = options.output ?? config.realismPersonas ??
          (Deno.uid() === 0
            ? SYSTEM_PERSONAS_PATH
            : `${env.HOME ?? "."}/.decnet/email_personas.json`);
        await writeAtomically(output, `${JSON.stringify(personas, null, 2)}\n`);
        if (options.json) {
          printLine(JSON.stringify({ path: output, written: personas.length, dropped }));
        } else printLine(`Wrote ${personas.length} persona(s) to ${output}`);
      },
    );

  realism.command("preview")
    .description("Simulate planner ticks in memory and print what would be planted")
    .option("--personas <file>", "persona file (default: the pool, else the built-in examples)")
    .option("--deckies <n>", "number of simulated deckies", intOption(1, 10_000), 5)
    .option("--ticks <m>", "number of ticks", intOption(1, 1_000_000), 20)
    .option(
      "--seed <s>",
      "random seed (same seed and --now, same output)",
      intOption(0, 2 ** 32 - 1),
      1,
    )
    .option("--now <iso>", "simulated start time (default: now)", parseIsoOption)
    .option("--step <seconds>", "simulated seconds between ticks", intOption(1, 86_400), 900)
    .option("--json", "one JSON object per line")
    .action(async (options: PreviewOptions, command: Command) => {
      const personas = await previewPersonas(options.personas, command);
      for (const row of simulate(personas, options)) {
        printLine(options.json ? JSON.stringify(row) : tableRow(row));
      }
    });
  return realism;
}

interface PreviewOptions {
  personas?: string;
  deckies: number;
  ticks: number;
  seed: number;
  now?: Date;
  step: number;
  json?: boolean;
}

/** One line of `preview` output (snake_case, as printed with --json). */
interface PreviewRow {
  tick: number;
  decision: "create" | "edit" | "skip" | "idle";
  decky: string | null;
  persona: string | null;
  active_hours: string | null;
  timezone: string | null;
  content_class: string | null;
  path: string | null;
  mtime: string | null;
  body: string | null;
}

function parseIsoOption(raw: string): Date {
  const d = new Date(raw);
  if (!/^\d{4}-\d\d-\d\d/.test(raw) || Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError("expected an ISO 8601 time such as 2026-03-04T09:00:00Z");
  }
  return d;
}

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new CliError(`Cannot read personas: no such file, got "${file}"`, EXIT_USAGE);
  }
  try {
    const json = JSON.parse(text);
    if (!Array.isArray(json)) {
      throw new CliError(`Cannot read personas: expected a JSON array in "${file}"`, EXIT_USAGE);
    }
    return json;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`Cannot read personas: not valid JSON, got "${file}"`, EXIT_USAGE);
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  try {
    await Deno.writeTextFile(tmp, text, { mode: 0o644 });
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new CliError(`Cannot write ${path}: ${e instanceof Error ? e.message : e}`, EXIT_FAILURE);
  }
}

async function previewPersonas(file: string | undefined, command: Command): Promise<Persona[]> {
  if (file) {
    const { personas, dropped } = parsePersonas(await readJsonFile(file));
    for (const d of dropped) printError(`Dropped entry ${d.index}: ${d.reason}`);
    if (personas.length === 0) throw new CliError(`No valid persona in ${file}`, EXIT_USAGE);
    return personas;
  }
  const config = configFor(command);
  const pool = await new PersonaPool({
    configuredPath: config.realismPersonas,
    homeDir: readProcessEnv().HOME,
  }).load();
  if (pool.personas.length > 0) return [...pool.personas];
  return parsePersonas(examplePersonas).personas;
}

const HOSTS = ["ws", "fin", "dev", "hr", "ops", "lab", "eng", "srv"];

function* simulate(personas: readonly Persona[], options: PreviewOptions): Generator<PreviewRow> {
  const rand = mulberry32(options.seed);
  const deckies: PlannerDecky[] = Array.from({ length: options.deckies }, (_, i) => {
    const count = 1 + Math.floor(rand() * Math.min(3, personas.length));
    const start = Math.floor(rand() * personas.length);
    return {
      uuid: `decky-${i + 1}`,
      name: `${HOSTS[i % HOSTS.length]}-${String(i + 1).padStart(2, "0")}`,
      personas: Array.from({ length: count }, (_, j) => personas[(start + j) % personas.length]),
    };
  });
  const files: { candidate: EditCandidate; body: string }[] = [];
  const byKey = new Map<string, number>();
  const start = (options.now ?? new Date()).getTime();
  for (let tick = 1; tick <= options.ticks; tick++) {
    const now = new Date(start + (tick - 1) * options.step * 1000);
    const file = files.length > 0 ? files[Math.floor(rand() * files.length)] : null;
    const d = decide(deckies, now, { rand, editCandidate: file?.candidate ?? null });
    const plan = d.plan;
    if (!plan) {
      yield { tick, decision: d.decision, ...EMPTY_ROW };
      continue;
    }
    const decky = deckies.find((x) => x.uuid === plan.decky_uuid)!;
    const bodyOptions = {
      persona: plan.persona,
      decky,
      rand,
      now: plan.mtime,
      path: plan.target_path,
    };
    let body: string | null = null;
    if (plan.action === "edit") {
      body = nextIteration(plan.content_class, { ...bodyOptions, previous: plan.previous_body! });
    } else if (!isCanary(plan.content_class)) body = makeBody(plan.content_class, bodyOptions);
    if (body !== null) {
      const key = `${plan.decky_uuid}:${plan.target_path}`;
      const entry = {
        candidate: {
          decky_uuid: plan.decky_uuid,
          persona: plan.persona.name,
          content_class: plan.content_class,
          path: plan.target_path,
          previous_body: body,
          last_modified: plan.mtime,
        },
        body,
      };
      const at = byKey.get(key);
      if (at === undefined) {
        byKey.set(key, files.length);
        files.push(entry);
      } else files[at] = entry;
    }
    yield {
      tick,
      decision: d.decision,
      decky: plan.decky_name,
      persona: plan.persona.name,
      active_hours: plan.persona.active_hours,
      timezone: resolveTimeZone(plan.persona, decky),
      content_class: plan.content_class,
      path: plan.target_path,
      mtime: plan.mtime.toISOString(),
      body,
    };
  }
}

const EMPTY_ROW = {
  decky: null,
  persona: null,
  active_hours: null,
  timezone: null,
  content_class: null,
  path: null,
  mtime: null,
  body: null,
} as const;

function tableRow(row: PreviewRow): string {
  return [
    String(row.tick).padStart(4),
    row.decision.padEnd(6),
    (row.decky ?? "-").padEnd(8),
    (row.persona ?? "-").padEnd(16),
    (row.content_class ?? "-").padEnd(20),
    row.mtime ?? "-",
    row.path ?? "",
  ].join("  ");
}
