import type { CanaryTokensTable } from "../core/db/mod.ts";
import { newToken } from "./_new_token.ts";
import type { NewTokenOptions } from "./_new_token.ts";
import { CONTENT_CLASS_GENERATORS } from "./content_class_generators.ts";
import type { Artifact } from "./generators/artifact.ts";
import { generateArtifact } from "./generators/generate_artifact.ts";
import { validatePlacementPath } from "./validate_placement_path.ts";

/** Options of {@linkcode cultivateCanary}. */
export interface CultivateCanaryOptions extends NewTokenOptions {
  deckyName?: string | null;
  deckyUuid?: string | null;
  /** Operator placement path; validated. @default the artifact's realism path */
  placementPath?: string;
}

/** What the cultivator hands back: the caller inserts `token` before planting. */
export interface CultivatedCanary {
  artifact: Artifact;
  /** Where to plant it. */
  path: string;
  token: CanaryTokensTable;
}

/**
 * Turns a `canary_*` content class into bait: mints a slug, builds the
 * context from the configuration, generates the artifact and returns it with
 * its placement path and the token row to insert.
 *
 * @param contentClass e.g. `canary_git_config`
 * @param options configuration, persona, clock and randomness
 * @returns artifact, path and token row (state `issued`)
 * @throws {RangeError} for a content class that is not a canary
 * @throws {CanaryRequirementError} when the generator needs a zone or base URL the configuration lacks
 * @throws {TypeError} for a bad operator placement path
 * @example
 * ```ts
 * import type { Config } from "../core/config/config.ts";
 * declare const config: Config;
 * const { artifact, path, token } = await cultivateCanary("canary_env_file", {
 *   config, persona: { os: "linux", login: "jdoe" }, now: new Date(),
 * });
 * ```
 */
export async function cultivateCanary(
  contentClass: string,
  options: CultivateCanaryOptions,
): Promise<CultivatedCanary> {
  const generator = CONTENT_CLASS_GENERATORS[contentClass];
  if (!generator) {
    throw new RangeError(
      `Cannot cultivate canary: expected one of ${
        Object.keys(CONTENT_CLASS_GENERATORS).join(", ")
      }, got "${contentClass}"`,
    );
  }
  const { context, row } = newToken(options);
  const path = options.placementPath === undefined
    ? undefined
    : validatePlacementPath(options.placementPath);
  const artifact = await generateArtifact(generator, context);
  const placement = path ?? artifact.defaultPath;
  return {
    artifact,
    path: placement,
    token: row({
      kind: artifact.kind,
      generator,
      blob_uuid: null,
      content_class: contentClass,
      decky_name: options.deckyName ?? null,
      decky_uuid: options.deckyUuid ?? null,
      placement_path: placement,
    }),
  };
}
