import { Command, InvalidArgumentError, Option } from "commander";
import type { CanaryContext, InstrumenterName, PersonaOs } from "../canary/mod.ts";
// Light constants straight from their files: the generators and instrumenters
// (jszip, pdf-lib) load only when a canary subcommand runs, not with every command.
import { INSTRUMENTER_NAMES } from "../canary/instrumenters/instrumenter.ts";
import { SLUG_REGEXP } from "../canary/mint_slug.ts";
import { validatePersonaLogin } from "../canary/validate_persona_login.ts";
import { validatePersonaName } from "../realism/validate_persona_name.ts";
import { CANARY_GENERATORS, parseDnsZone, parseHttpBase } from "../core/config/mod.ts";
import { configFor } from "./cli_context.ts";
import { runStandalone } from "./run_standalone.ts";
import { printLine } from "../core/log/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { ruleOption } from "./parse_options.ts";

function parseSlug(raw: string): string {
  if (!SLUG_REGEXP.test(raw)) {
    throw new InvalidArgumentError(
      "expected 22 URL-safe characters (A-Z a-z 0-9 - _), starting and ending alphanumeric",
    );
  }
  return raw;
}

function parseIssuedAt(raw: string): string {
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || !Number.isFinite(t)) {
    throw new InvalidArgumentError("expected an ISO 8601 date such as 2026-01-15T09:00:00Z");
  }
  return new Date(t).toISOString();
}

interface ContextFlags {
  slug: string;
  httpBase: string;
  dnsZone?: string;
  persona?: PersonaOs;
  login?: string;
  name?: string;
  issuedAt?: string;
  output: string;
  json?: boolean;
}

function contextOptions(command: Command): Command {
  return command
    .requiredOption("--slug <slug>", "callback slug (22 URL-safe characters)", parseSlug)
    // The same parsers as DECNET_CANARY_HTTP_BASE and DECNET_CANARY_DNS_ZONE.
    .requiredOption(
      "--http-base <url>",
      "callback base URL (a trailing slash is dropped)",
      ruleOption(parseHttpBase),
    )
    .option("--dns-zone <zone>", "zone of the DNS listener (empty: none)", ruleOption(parseDnsZone))
    .requiredOption("-o, --output <file>", "file to write")
    .option("--json", "print the result as JSON");
}

function contextOf(flags: ContextFlags): CanaryContext {
  return {
    slug: flags.slug,
    httpBase: flags.httpBase,
    dnsZone: flags.dnsZone ?? "",
    persona: { os: flags.persona ?? "linux", login: flags.login, name: flags.name },
    issuedAt: flags.issuedAt,
  };
}

async function writeOutput(path: string, bytes: Uint8Array, mode: number): Promise<void> {
  try {
    await Deno.writeFile(path, bytes, { mode });
  } catch (e) {
    throw new CliError(`Cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `decnet canary generate|instrument|generators`: mint bait offline, for hosts decnet does not manage. */
export function canaryCommand(): Command {
  const canary = new Command("canary")
    .description(
      "Run the canary HTTP and DNS listeners (DECNET_CANARY_*), or mint bait offline (subcommands)",
    )
    .option(
      "--no-collector",
      "only listen: leave the journal to `decnet collect` (the systemd layout)",
    )
    .action(async (options: { collector: boolean }, command: Command) => {
      const { canaryWorker } = await import("../canary/canary_worker.ts");
      const { collectorWorker } = await import("../core/attackers/collector_worker.ts");
      // By default the collector's duty runs here too, so the listeners alone still store triggers.
      await runStandalone(
        options.collector ? [collectorWorker, canaryWorker] : canaryWorker,
        configFor(command),
      );
    });

  contextOptions(
    canary.command("generate")
      .description("Write a generator's artifact for a slug")
      .argument("<generator>", `one of ${CANARY_GENERATORS.join(", ")}`),
  )
    .addOption(
      new Option("--persona <os>", "operating system the bait is shaped for")
        .choices(["linux", "windows"]).default("linux"),
    )
    .option("--login <login>", "account name of the persona", ruleOption(validatePersonaLogin))
    .option(
      "--name <name>",
      "display name of the persona (document author)",
      ruleOption(validatePersonaName),
    )
    .option("--issued-at <date>", "instant the artifact's dates are anchored to", parseIssuedAt)
    .action(async (generator: string, flags: ContextFlags) => {
      const { CanaryRequirementError, generateArtifact, GENERATOR_TABLE } = await import(
        "../canary/mod.ts"
      );
      if (!GENERATOR_TABLE.has(generator)) {
        throw new CliError(
          `Cannot generate: expected one of ${[...GENERATOR_TABLE.keys()].join(", ")}, ` +
            `got "${generator}"`,
          EXIT_USAGE,
        );
      }
      let artifact;
      try {
        artifact = await generateArtifact(generator, contextOf(flags));
      } catch (e) {
        if (!(e instanceof CanaryRequirementError)) throw e;
        const flag = e.requirement === "dns_zone" ? "--dns-zone" : "--http-base";
        throw new CliError(`Cannot generate ${generator}: it needs ${flag}`, EXIT_USAGE, {
          cause: e,
        });
      }
      await writeOutput(flags.output, artifact.bytes, artifact.mode);
      await Deno.utime(flags.output, new Date(artifact.modifiedAt), new Date(artifact.modifiedAt));
      const result = {
        file: flags.output,
        generator,
        kind: artifact.kind,
        size: artifact.bytes.length,
        mime: artifact.mime,
        default_path: artifact.defaultPath,
        mode: `0${artifact.mode.toString(8)}`,
        modified_at: artifact.modifiedAt,
        notes: artifact.notes,
      };
      if (flags.json) return printLine(JSON.stringify(result));
      printLine(
        `Wrote ${flags.output} (${result.size} bytes, ${artifact.kind}, mode ${result.mode})`,
      );
      printLine(`Plant it at ${artifact.defaultPath}; ${artifact.notes}`);
    });

  contextOptions(
    canary.command("instrument")
      .description("Instrument an existing file (DOCX, XLSX, PDF, HTML, image, text) for a slug")
      .argument("<input>", "file to instrument"),
  )
    .addOption(
      new Option("--instrumenter <name>", "force an instrumenter instead of sniffing")
        .choices([...INSTRUMENTER_NAMES]),
    )
    .action(async (input: string, flags: ContextFlags & { instrumenter?: InstrumenterName }) => {
      const { InstrumentError, instrumentUpload } = await import("../canary/mod.ts");
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(input);
      } catch (e) {
        throw new CliError(
          `Cannot read ${input}: ${e instanceof Error ? e.message : String(e)}`,
          EXIT_USAGE,
        );
      }
      let out;
      try {
        out = await instrumentUpload(bytes, contextOf(flags), {
          filename: input,
          instrumenter: flags.instrumenter,
        });
      } catch (e) {
        if (!(e instanceof InstrumentError)) throw e;
        throw new CliError(e.message, EXIT_USAGE, { cause: e });
      }
      await writeOutput(flags.output, out.bytes, 0o644);
      const result = {
        file: flags.output,
        instrumenter: out.instrumenter,
        mime: out.mime,
        size: out.bytes.length,
      };
      if (flags.json) return printLine(JSON.stringify(result));
      printLine(
        `Wrote ${flags.output} (${result.size} bytes, ${out.mime}, instrumenter ${out.instrumenter})`,
      );
    });

  canary.command("generators")
    .description("List the generators with their kind and needs")
    .option("--json", "print the list as JSON")
    .action(async (flags: { json?: boolean }) => {
      const { GENERATOR_TABLE } = await import("../canary/mod.ts");
      const items = [...GENERATOR_TABLE.values()].map((g) => ({
        name: g.name,
        kind: g.kind,
        needs: [...g.needs],
        description: g.description,
      }));
      if (flags.json) return printLine(JSON.stringify({ items, total: items.length }));
      for (const g of items) {
        printLine(
          `${g.name.padEnd(14)} ${g.kind.padEnd(12)} ${
            (g.needs.join(",") || "-").padEnd(10)
          } ${g.description}`,
        );
      }
    });
  return canary;
}
