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
  /** Files planted around it so it looks at home (e.g. the rest of a git repository). */
  companions?: {
    /** Absolute directory their paths are relative to. */
    root: string;
    files: { path: string; bytes: Uint8Array; mode: number; mtime: Date }[];
  };
}

/** What the cultivator is told about the plant. */
export interface CultivateContext {
  persona: Persona;
  /** The persona's Unix login. */
  login: string;
  /** The login's home on the decky (from its survey). @default /home/<login>, /root for root */
  home?: string;
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

/** A cultivator that never makes bait: canary classes fall back to ordinary files. */
export function noCanaryCultivator(): CanaryCultivator {
  return () => Promise.resolve(null);
}

/**
 * The canary cultivator over `canary/`: mints the token, generates the
 * artifact for the persona's login and hands back its bytes, default
 * placement (`~` resolved to /home/<login>), mode and backdated mtime with
 * the token row, and its companion files (a git config's repository). A generator that
 * needs configuration the host lacks (a DNS zone, an HTTP base), or an HTTP
 * base that must not be planted (loopback, IP literal, documentation range,
 * unless `canaryAllowLocal`), gives null, so the tick plants an
 * ordinary file instead.
 *
 * @param config `canaryHttpBase`, `canaryDnsZone` and `canaryAllowLocal`
 * @returns the cultivator the orchestrator calls for canary classes
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import { canaryCultivator } from "./canary_cultivator.ts";
 * import { Orchestrator, type OrchestratorOptions } from "./orchestrator.ts";
 * declare const config: Config;
 * declare const options: OrchestratorOptions;
 * const orchestrator = new Orchestrator({ ...options, cultivate: canaryCultivator(config) });
 * ```
 */
export function canaryCultivator(
  config: { canaryHttpBase: string; canaryDnsZone: string; canaryAllowLocal?: boolean },
): CanaryCultivator {
  return async (contentClass, context) => {
    const {
      cultivateCanary,
      CanaryRequirementError,
      CONTENT_CLASS_GENERATORS,
      expandHomePath,
      GENERATOR_TABLE,
      unplantableCallbackError,
    } = await import("../../canary/mod.ts");
    const generator = GENERATOR_TABLE.get(CONTENT_CLASS_GENERATORS[contentClass] ?? "");
    const refused = unplantableCallbackError(config.canaryHttpBase, {
      allowLocal: config.canaryAllowLocal ?? false,
    }) !== null;
    if (refused && generator?.needs.includes("http_base")) return null;
    try {
      const { artifact, path, token } = await cultivateCanary(contentClass, {
        config,
        persona: { os: "linux", login: context.login, name: context.persona.name },
        now: context.now,
        deckyName: context.decky.name,
        deckyUuid: context.decky.uuid,
      });
      // The artifact's placement is relative to the persona's home ("~/..."): resolve it here.
      const absolute = expandHomePath(path, context.login, context.home);
      if (!absolute.startsWith("/")) return null;
      const companions = artifact.companions;
      const anchored = companions && absolute.endsWith(`/${companions.anchor}`);
      return {
        bytes: artifact.bytes,
        path: absolute,
        mode: artifact.mode,
        mtime: new Date(artifact.modifiedAt),
        token: { ...token, placement_path: absolute },
        ...(anchored
          ? {
            companions: {
              root: absolute.slice(0, -companions.anchor.length - 1),
              files: companions.files.map((f) => ({
                path: f.path,
                bytes: f.bytes,
                mode: f.mode,
                mtime: new Date(f.modifiedAt),
              })),
            },
          }
          : {}),
      };
    } catch (e) {
      if (e instanceof CanaryRequirementError) return null;
      throw e;
    }
  };
}
