import { Command } from "commander";
import { printError, printLine } from "../core/log/mod.ts";
import { clusterObservations, parseObservationLines } from "../core/campaigns/mod.ts";
import type { Observation } from "../core/campaigns/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * `decnet cluster --input FILE [--json]`: clusters attacker observations
 * (JSON lines) into identities and campaigns with the clusterer worker's
 * own code and prints one JSON line per observation, in input order:
 * `{"ip":..,"identity":..,"campaign":..}` (labels are opaque keys).
 */
export function clusterCommand(): Command {
  return new Command("cluster")
    .description(
      "Cluster attacker observations (JSON lines) into identities and campaigns; prints one JSON line per observation",
    )
    .requiredOption(
      "--input <file>",
      'observations, one JSON object per line ("-" for stdin): ip (required), asn, ja3, hassh, tcp_fingerprint, tools, credentials, payload_hashes, c2_endpoints, kd_simhash, sessions, phases',
    )
    .option(
      "--json",
      "print only the JSON lines (without it a one-line summary also goes to stderr)",
    )
    .action(async (options: { input: string; json?: boolean }) => {
      const observations = await readObservations(options.input);
      const result = clusterObservations(observations);
      const lines = result.assignments.map((a) =>
        JSON.stringify({ ip: a.ip, identity: a.identity, campaign: a.campaign })
      );
      if (lines.length > 0) printLine(lines.join("\n"));
      if (!options.json) {
        printError(
          `${observations.length} observations, ${result.identities.length} identities, ${result.campaigns.length} campaigns`,
        );
      }
    });
}

async function readObservations(input: string): Promise<Observation[]> {
  let text: string;
  try {
    text = input === "-"
      ? await new Response(Deno.stdin.readable).text()
      : await Deno.readTextFile(input);
  } catch (e) {
    if (
      e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied ||
      e instanceof Deno.errors.IsADirectory
    ) {
      throw new CliError(`Cannot read --input ${input}: ${e.message}`, EXIT_USAGE, { cause: e });
    }
    throw e;
  }
  try {
    return parseObservationLines(text);
  } catch (e) {
    if (e instanceof TypeError || e instanceof SyntaxError) {
      throw new CliError(`Cannot read --input ${input}: ${e.message}`, EXIT_USAGE, { cause: e });
    }
    throw e;
  }
}
