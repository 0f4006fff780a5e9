import { Command } from "commander";
import { openBus } from "../core/bus/mod.ts";
import type { Config } from "../core/config/mod.ts";
import { openMigratedDatabase } from "../core/db/mod.ts";
import { printLine } from "../core/log/mod.ts";
import { makeOrchestratorWorker } from "../core/orchestrator/orchestrator_worker.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { CliError, EXIT_FAILURE } from "./cli_error.ts";
import { intOption } from "./parse_options.ts";
import { runStandalone } from "./run_standalone.ts";

interface OrchestrateOptions {
  interval?: number;
  llm?: boolean;
  once?: boolean;
  json?: boolean;
}

/** `decnet orchestrate`: the realism ticks on their own (or one tick with --once). */
export function orchestrateCommand(): Command {
  return new Command("orchestrate")
    .description(
      "Run the realism orchestrator alone: SSH traffic, file plants and edits, email between deckies",
    )
    .option(
      "--interval <seconds>",
      "seconds between ticks (default: DECNET_ORCHESTRATOR_INTERVAL, 60)",
      intOption(1, 86_400),
    )
    .option("--llm", "write bodies with the LLM (DECNET_REALISM_LLM, else ollama at its URL)")
    .option("--no-llm", "templates only, whatever DECNET_REALISM_LLM says")
    .option("--once", "run one tick now and exit (exit code 1 when it failed)")
    .option("--json", "with --once: print the tick result as JSON")
    .action(async (options: OrchestrateOptions, command: Command) => {
      const loaded = configFor(command);
      const config: Config = Object.freeze({
        ...loaded,
        orchestratorIntervalSeconds: options.interval ?? loaded.orchestratorIntervalSeconds,
      });
      const llmOverride = options.llm ?? null;
      if (!options.once) {
        await runStandalone(makeOrchestratorWorker({ llmOverride }), config);
        return;
      }
      await runOnce(config, llmOverride, options.json ?? false);
    });
}

async function runOnce(config: Config, llmOverride: boolean | null, json: boolean): Promise<void> {
  const log = loggerFor(config, "orchestrator");
  await (await openMigratedDatabase(config.dbUrl)).close();
  await using bus = openBus({
    busUrl: config.busUrl,
    name: "orchestrator",
    logger: log.child("bus"),
  });
  const { startOrchestrator } = await import("../core/orchestrator/start_orchestrator.ts");
  await using job = await startOrchestrator(config, { log, bus, llmOverride, once: true });
  const result = job.onceResult;
  if (json) printLine(JSON.stringify(result ?? { ok: false, detail: "tick failed (see log)" }));
  else if (result) {
    printLine(
      result.kind === null
        ? `Nothing to do: ${result.detail}`
        : `${result.kind} ${result.ok ? "ok" : "failed"}: ${result.detail}`,
    );
  }
  if (!result || !result.ok) {
    throw new CliError(
      result ? `Tick failed: ${result.detail}` : "Tick failed (see the log)",
      EXIT_FAILURE,
    );
  }
}
