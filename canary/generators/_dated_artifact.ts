import type { ArtifactDates } from "../artifact_dates.ts";
import type { Artifact, Generator } from "./artifact.ts";

/** What a generator decides itself; the rest of an {@linkcode Artifact} follows from it. */
export type ArtifactContent =
  & Pick<Artifact, "defaultPath" | "mode" | "mime" | "notes" | "companions">
  & {
    /** The file's bytes, or text to store as UTF-8. */
    bytes: Uint8Array | string;
  };

/**
 * The artifact `generator` made, dated by `dates`: its name and callback kind
 * come from the generator, so the two cannot disagree.
 *
 * @example
 * ```ts
 * import { artifactDates } from "../artifact_dates.ts";
 * import { envFileGenerator } from "./env_file_generator.ts";
 * const context = { slug: "k3q9x2", httpBase: "https://cdn.example.com/c", dnsZone: "", persona: { os: "linux" as const } };
 * const artifact = datedArtifact(envFileGenerator, artifactDates(context, "env_file"), {
 *   defaultPath: "/home/ana/app/.env",
 *   bytes: "APP_ENV=production\n",
 *   mode: 0o640,
 *   mime: "text/plain",
 *   notes: "Any request to API_BASE_URL calls back.",
 * });
 * ```
 */
export function datedArtifact(
  generator: Pick<Generator, "name" | "kind">,
  dates: ArtifactDates,
  content: ArtifactContent,
): Artifact {
  const { bytes, ...rest } = content;
  return {
    generator: generator.name,
    ...rest,
    bytes: typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes,
    backdate: dates.backdate,
    modifiedAt: dates.modifiedAt.toISOString(),
    kind: generator.kind,
  };
}
