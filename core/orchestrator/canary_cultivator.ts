import type { CanaryClass, Persona } from "../../realism/mod.ts";
import type { CanaryRepository, RunningDecky } from "../db/mod.ts";

/** A token row as `CanaryRepository.insertToken` takes it. */
export type CanaryTokenInput = Parameters<CanaryRepository["insertToken"]>[0];

/** Bait ready to plant: the artifact's bytes, mode and backdated mtime, and its token row. */
export interface CanaryBait {
  bytes: Uint8Array;
  /** Where to plant it (absolute). */
  path: string;
  /** The artifact's own mode (e.g. 0o600 for a key). */
  mode: number;
  /** The artifact's backdated modification time. */
  mtime: Date;
  /** Inserted before planting. */
  token: CanaryTokenInput;
}

/** What the cultivator is told about the plant. */
export interface CultivateContext {
  persona: Persona;
  /** The persona's Unix login. */
  login: string;
  decky: RunningDecky;
  now: Date;
}

/**
 * Turns a canary content class into bait, or null when it cannot (e.g. the
 * canary configuration is missing): the file tick then falls back to a
 * non-canary plan.
 */
export type CanaryCultivator = (
  contentClass: CanaryClass,
  context: CultivateContext,
) => Promise<CanaryBait | null>;

/**
 * The cultivator used until the canary artifacts are wired in: never makes
 * bait, so canary classes fall back to ordinary files.
 */
// TODO(#7): replace with the canary/ cultivator (cultivateCanary) once the artifacts land on main.
export function noCanaryCultivator(): CanaryCultivator {
  return () => Promise.resolve(null);
}
