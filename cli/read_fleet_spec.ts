import { parseFleetSpec } from "../core/fleet/fleet_spec.ts";
import type { FleetSpec } from "../core/fleet/fleet_spec.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * Reads and parses a fleet file, turning its problems into usage errors.
 * `hosts`: the enrolled swarm hosts a decky's `host` may name.
 */
export async function readFleetSpec(
  path: string,
  options: { interface?: string; hosts?: readonly string[] } = {},
): Promise<{ spec: FleetSpec; text: string }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new CliError(
      `Cannot read fleet file: ${(e as Error).message}, got "${path}"`,
      EXIT_USAGE,
    );
  }
  try {
    return { spec: parseFleetSpec(text, options), text };
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new CliError(`Bad fleet file ${path}: ${e.message}`, EXIT_USAGE, { cause: e });
  }
}
