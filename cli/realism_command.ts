import { Command, InvalidArgumentError } from "commander";
import { errorText, printError, printLine } from "../core/log/mod.ts";
import { readProcessEnv } from "../core/config/mod.ts";
import {
  parsePersonas,
  type Persona,
  PersonaPool,
  personaPoolPaths,
  type PlannerPreviewRow,
  simulatePlanner,
  writePersonaPool,
} from "../realism/mod.ts";
import examplePersonas from "../deploy/personas.example.json" with { type: "json" };
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./cli_error.ts";
import { intOption } from "./parse_options.ts";
import { recordCliAudit } from "./record_cli_audit.ts";

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
        // root installs the system pool; anyone else their own (the last of the search paths).
        const paths = personaPoolPaths({
          configuredPath: config.realismPersonas,
          homeDir: readProcessEnv().HOME ?? ".",
        });
        const output = options.output ?? (Deno.uid() === 0 ? paths[0] : paths[paths.length - 1]);
        try {
          // Readable by the service user the workers run as, whoever imported it.
          await writePersonaPool(output, personas, { mode: 0o644 });
        } catch (e) {
          throw new CliError(`Cannot write ${output}: ${errorText(e)}`, EXIT_FAILURE);
        }
        await recordCliAudit(config, {
          action: "realism.personas_changed",
          target: output,
          outcome: "success",
          detail: { written: personas.length, dropped: dropped.length },
        });
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
      const rows = simulatePlanner(personas, {
        deckies: options.deckies,
        ticks: options.ticks,
        seed: options.seed,
        start: options.now ?? new Date(),
        stepSeconds: options.step,
      });
      for (const row of rows) {
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

function tableRow(row: PlannerPreviewRow): string {
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
