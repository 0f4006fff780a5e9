import type { CanaryContext } from "../canary_context.ts";
import type { CanaryRequirement } from "../canary_requirement_error.ts";

/** How a planted artifact calls back. */
export type ArtifactKind = "http" | "dns" | "aws_passive";

/** A file planted with an artifact that carries no callback itself (e.g. the rest of a repository). */
export interface CompanionFile {
  /** Path relative to the companions' root, `/`-separated, no `..`. */
  path: string;
  bytes: Uint8Array;
  mode: number;
  /** Modification time (ISO 8601, may carry milliseconds). */
  modifiedAt: string;
}

/** The companion files of an artifact and where they go. */
export interface Companions {
  /**
   * The artifact's path below the companions' root, e.g. `.git/config`;
   * planted elsewhere (a path not ending in it), the artifact goes alone.
   */
  anchor: string;
  files: readonly CompanionFile[];
}

/** A generated bait file, ready to plant. */
export interface Artifact {
  /** Generator that made it. */
  generator: string;
  /** Persona-aware default placement path. */
  defaultPath: string;
  bytes: Uint8Array;
  /** File mode to plant with, e.g. `0o600`. */
  mode: number;
  /** Seconds before the issue instant that the file pretends to date from. */
  backdate: number;
  /** The file's pretended modification time (ISO 8601): issue instant minus backdate. */
  modifiedAt: string;
  kind: ArtifactKind;
  /** Media type of the bytes. */
  mime: string;
  /** For the operator: what triggers it and how. */
  notes: string;
  /** Files planted beside it so it looks at home (only when planted, never downloaded). */
  companions?: Companions;
}

/** A bait generator: pure and deterministic per context. */
export interface Generator {
  name: string;
  kind: ArtifactKind;
  /** Configuration it cannot work without. */
  needs: readonly CanaryRequirement[];
  /** One line for `canary generators`. */
  description: string;
  /**
   * @throws {CanaryRequirementError} when the context lacks what it needs
   */
  generate(context: CanaryContext): Promise<Artifact>;
}
