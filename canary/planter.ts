import { errorText } from "../core/log/mod.ts";
import type { Bus, CanaryEventPayload } from "../core/bus/mod.ts";
import { canaryTopic } from "../core/bus/mod.ts";
import type { CanaryTokenRow, Repositories } from "../core/db/mod.ts";
import type { DockerClient } from "../core/docker/mod.ts";
import { shellScript } from "../core/docker/mod.ts";
import type { Logger } from "../core/log/mod.ts";
import { PLANT_SCRIPT, REMOVE_SCRIPT } from "./_plant_scripts.ts";
import { CONTENT_CLASS_GENERATORS } from "./content_class_generators.ts";
import { contextFromToken } from "./context_from_token.ts";
import { cultivateCanary } from "./cultivate_canary.ts";
import { plantContainer, type PlantTarget } from "./plant_container.ts";
import { resolvePersona } from "./resolve_persona.ts";
import { validatePlacementPath } from "./validate_placement_path.ts";

/** Default time limit of one plant or removal exec (uploads can be 25 MiB). */
export const DEFAULT_PLANT_TIMEOUT_MS = 30_000;

/** Everything the planter works with. */
export interface PlanterOptions {
  docker: DockerClient;
  repos: Pick<Repositories, "canary" | "fleet">;
  /** Where `canary.<token>.placed|revoked` go; none in one-shot commands without a bus. */
  bus?: Bus;
  log: Logger;
  now: () => Date;
  /** `canaryHttpBase`, `canaryDnsZone` and `canaryBaseline` of the configuration. */
  config: {
    canaryHttpBase: string;
    canaryDnsZone: string;
    canaryBaseline: readonly string[];
  };
  /** Time limit of one exec. @default 30000 */
  timeoutMs?: number;
}

/** The bytes to plant and how the file should look. */
export interface PlantArtifact {
  bytes: Uint8Array;
  /** File mode, e.g. `0o600`. */
  mode: number;
  /** Pretended modification time (ISO 8601). */
  modifiedAt: string;
}

/** A decky that `seedBaseline` plants on (a fleet deploy's state entry fits). */
export interface BaselineDecky extends PlantTarget {
  uuid?: string | null;
}

/** What happened to one baseline generator. */
export interface BaselineResult {
  generator: string;
  /** planted, failed (see error), skipped (already planted there) or error (no token made). */
  status: "planted" | "failed" | "skipped" | "error";
  token_uuid?: string;
  error?: string;
}

/** Outcome of {@linkcode Planter.seedBaseline}: one result per baseline generator. */
export interface SeedBaselineResult {
  decky: string;
  results: BaselineResult[];
}

/**
 * Puts canary files into decky containers and takes them out again, through
 * `core/docker` only: one exec per plant (bytes on stdin, parents created,
 * temp file moved into place, mode, owner and backdated mtime set); the path
 * reaches the in-container script only as a positional parameter. Token
 * states move issued -> planted | failed, and -> revoked; `canary.<token>.placed`
 * and `canary.<token>.revoked` are published. Never throws for a failed
 * plant: the failure is recorded on the token (`last_error`).
 *
 * Which container: see {@linkcode plantContainer}. Owner: the persona's user
 * when it exists in the container; a `~/` path without that user goes to the
 * first regular user's home (uid 1000-59999), else root's.
 *
 * @example
 * ```ts
 * const planter = new Planter({ docker, repos, bus, log, now: () => new Date(), config });
 * const row = await planter.plant({ name: "ws-01", services: ["ssh"] }, { artifact, token });
 * ```
 */
export class Planter {
  readonly #options: PlanterOptions;

  constructor(options: PlanterOptions) {
    this.#options = { ...options };
  }

  /**
   * Plants `artifact` for an inserted `token` (its `placement_path` and
   * persona) on `decky`, and records the outcome.
   *
   * @returns the token row after the attempt (state planted or failed)
   */
  async plant(
    decky: PlantTarget,
    input: { artifact: PlantArtifact; token: CanaryTokenRow },
  ): Promise<CanaryTokenRow> {
    const { artifact, token } = input;
    const { repos, log } = this.#options;
    const container = plantContainer(decky);
    let error: string | null = null;
    try {
      const path = linuxPath(token.placement_path);
      const login = resolvePersona(contextFromToken(token)).login;
      const result = await this.#options.docker.exec(
        container,
        shellScript(PLANT_SCRIPT, [
          path,
          login,
          octal(artifact.mode),
          touchStamp(artifact.modifiedAt),
          octal(directoryMode(artifact.mode)),
        ]),
        {
          stdin: artifact.bytes,
          user: "0",
          env: ["TZ=UTC"],
          timeoutMs: this.#options.timeoutMs ?? DEFAULT_PLANT_TIMEOUT_MS,
        },
      );
      if (result.exitCode !== 0) {
        error = `Cannot plant ${path} in ${container}: ${
          outputText(result.stderr) || `exit code ${result.exitCode}`
        }`;
      } else {
        log.info("canary planted", {
          token: token.uuid,
          container,
          path: outputText(result.stdout),
        });
      }
    } catch (e) {
      error = failureText(e, `Cannot plant in ${container}`);
    }
    if (error !== null) {
      log.warn("canary plant failed", { token: token.uuid, container, error });
      await repos.canary.setTokenState(token.uuid, "failed", error);
    } else {
      await repos.canary.setTokenState(token.uuid, "planted", null);
      this.#publish(token, "placed");
    }
    return (await repos.canary.getToken(token.uuid)) ?? {
      ...token,
      state: error === null ? "planted" : "failed",
      last_error: error,
    };
  }

  /**
   * Revokes a token: removes its file when it was planted, marks it revoked
   * (the removal error, if any, in `last_error`) and publishes
   * `canary.<token>.revoked` in every case.
   *
   * @returns the revoked row, or undefined when there is no such token
   */
  async revoke(tokenUuid: string): Promise<CanaryTokenRow | undefined> {
    const { repos, log } = this.#options;
    const token = await repos.canary.getToken(tokenUuid);
    if (!token) return undefined;
    if (token.state === "revoked") return token;
    let error: string | null = null;
    if (token.state === "planted" && token.decky_name) {
      error = await this.#remove(token);
    }
    await repos.canary.setTokenState(token.uuid, "revoked", error);
    this.#publish(token, "revoked");
    log.info("canary revoked", { token: token.uuid, ...(error ? { error } : {}) });
    return await repos.canary.getToken(token.uuid);
  }

  /**
   * Plants the configured baseline (`DECNET_CANARY_BASELINE`) on a freshly
   * deployed decky. Generators already planted there are skipped, so running
   * it after every deploy is safe. Never throws: each failure is recorded on
   * its token (or in the result when no token could be made).
   */
  async seedBaseline(decky: BaselineDecky): Promise<SeedBaselineResult> {
    const { repos, log, config, now } = this.#options;
    const results: BaselineResult[] = [];
    let planted = new Set<string>();
    try {
      const rows = await repos.canary.listTokensOfDecky(decky.name, ["planted"]);
      planted = new Set(rows.map((r) => r.generator ?? ""));
    } catch (e) {
      log.warn("cannot list the decky's tokens; seeding all", { decky: decky.name, error: e });
    }
    for (const generator of config.canaryBaseline) {
      if (planted.has(generator)) {
        results.push({ generator, status: "skipped" });
        continue;
      }
      try {
        const contentClass = Object.keys(CONTENT_CLASS_GENERATORS).find((k) =>
          CONTENT_CLASS_GENERATORS[k] === generator
        );
        if (!contentClass) {
          throw new RangeError(`Cannot seed: unknown generator, got "${generator}"`);
        }
        const cultivated = await cultivateCanary(contentClass, {
          config,
          persona: { os: "linux" },
          now: now(),
          deckyName: decky.name,
          deckyUuid: decky.uuid ?? null,
        });
        const token = await repos.canary.insertToken(cultivated.token);
        const row = await this.plant(decky, { artifact: cultivated.artifact, token });
        results.push({
          generator,
          status: row.state === "planted" ? "planted" : "failed",
          token_uuid: row.uuid,
          ...(row.last_error ? { error: row.last_error } : {}),
        });
      } catch (e) {
        const error = failureText(e, "Cannot seed");
        log.warn("baseline canary not made", { decky: decky.name, generator, error });
        results.push({ generator, status: "error", error });
      }
    }
    log.info("baseline seeded", {
      decky: decky.name,
      planted: results.filter((r) => r.status === "planted").length,
      of: results.length,
    });
    return { decky: decky.name, results };
  }

  async #remove(token: CanaryTokenRow): Promise<string | null> {
    const { repos, docker } = this.#options;
    try {
      const decky = token.decky_name
        ? await repos.fleet.findDecky(token.decky_name, { state: "running" })
        : undefined;
      if (!decky) {
        return `Cannot remove bait: decky is not running, got "${token.decky_name}"`;
      }
      const container = plantContainer(decky);
      const path = linuxPath(token.placement_path);
      const login = resolvePersona(contextFromToken(token)).login;
      const result = await docker.exec(container, shellScript(REMOVE_SCRIPT, [path, login]), {
        user: "0",
        timeoutMs: this.#options.timeoutMs ?? DEFAULT_PLANT_TIMEOUT_MS,
      });
      if (result.exitCode !== 0) {
        return `Cannot remove ${path} from ${container}: ${
          outputText(result.stderr) || `exit code ${result.exitCode}`
        }`;
      }
      return null;
    } catch (e) {
      return failureText(e, "Cannot remove bait");
    }
  }

  #publish(token: CanaryTokenRow, event: "placed" | "revoked"): void {
    const payload: CanaryEventPayload = {
      token_uuid: token.uuid,
      event,
      at: this.#options.now().toISOString(),
      kind: token.kind,
      ...(token.decky_name ? { decky: token.decky_name } : {}),
    };
    this.#options.bus?.publish(canaryTopic(token.uuid, event), payload);
  }
}

/** A placement path a Linux container can take. */
function linuxPath(path: string | null): string {
  if (path === null) throw new TypeError(`Cannot plant: the token has no placement path, got ""`);
  validatePlacementPath(path);
  if (!path.startsWith("/") && !path.startsWith("~/")) {
    throw new TypeError(
      `Cannot plant: a Windows path does not fit a Linux container, got ${JSON.stringify(path)}`,
    );
  }
  return path;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/** Parents of a private file are private too (e.g. `~/.aws`, `~/.ssh`). */
function directoryMode(mode: number): number {
  return (mode & 0o077) === 0 ? 0o700 : 0o755;
}

/** `YYYY-MM-DD hh:mm:ss` in UTC, the form both GNU and busybox `touch -d` read. */
function touchStamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`Cannot plant: expected an ISO 8601 modification time, got "${iso}"`);
  }
  return date.toISOString().slice(0, 19).replace("T", " ");
}

function outputText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).trim().slice(0, 500);
}

// Our own errors already say what failed ("Cannot …"); a library's gets the step in front.
function failureText(e: unknown, step: string): string {
  const text = errorText(e);
  return text.startsWith("Cannot ") ? text : `${step}: ${text}`;
}
