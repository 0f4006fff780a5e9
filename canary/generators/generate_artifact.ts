import type { CanaryContext } from "../canary_context.ts";
import type { Artifact } from "./artifact.ts";
import { GENERATOR_TABLE } from "./generator_table.ts";

/**
 * Generates the artifact of a named generator for a context.
 *
 * @param generator one of the names in `GENERATOR_TABLE`
 * @param context the artifact context
 * @returns the artifact; the same context always gives the same bytes
 * @throws {RangeError} for an unknown generator
 * @throws {CanaryRequirementError} when the context lacks a zone or base URL it needs
 * @example
 * ```ts
 * const a = await generateArtifact("git_config", {
 *   slug: "Ab3dEfGh1jKlMnOpQrStUv", httpBase: "https://cdn.example.net",
 *   dnsZone: "", persona: { os: "linux" },
 * });
 * ```
 */
export async function generateArtifact(
  generator: string,
  context: CanaryContext,
): Promise<Artifact> {
  const g = GENERATOR_TABLE.get(generator);
  if (!g) {
    throw new RangeError(
      `Cannot generate artifact: expected one of ${[...GENERATOR_TABLE.keys()].join(", ")}, ` +
        `got "${generator}"`,
    );
  }
  return await g.generate(context);
}
