import type { RecordAudit } from "../core/audit/mod.ts";
import type { Bus, CanaryEventPayload } from "../core/bus/mod.ts";
import { canaryTopic } from "../core/bus/mod.ts";
import type { CanaryTokenRow, Repositories } from "../core/db/mod.ts";
import type { DockerClient } from "../core/docker/mod.ts";
import { shellScript } from "../core/docker/mod.ts";
import type { Logger } from "../core/log/mod.ts";
import { HOSTS_SCRIPT } from "./_plant_scripts.ts";
import { failureText, outputText } from "./_plant_text.ts";
import type { BaitSurvey } from "./bait_survey.ts";
import { CONTENT_CLASS_GENERATORS } from "./content_class_generators.ts";
import { GENERATOR_TABLE } from "./generators/generator_table.ts";
import { planBaseline } from "./plan_baseline.ts";
import { readBaitSurvey } from "./read_bait_survey.ts";
import { unplantableCallbackError } from "./unplantable_callback_error.ts";
import { cultivateCanary } from "./cultivate_canary.ts";
import { type PlantArtifact, plantArtifact } from "./plant_artifact.ts";
import { plantContainer, type PlantTarget } from "./plant_container.ts";
import { removeArtifact } from "./remove_artifact.ts";

export type { PlantArtifact } from "./plant_artifact.ts";

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
  /** `canaryHttpBase`, `canaryDnsZone`, `canaryBaseline` and `canaryAllowLocal` of the configuration. */
  config: {
    canaryHttpBase: string;
    canaryDnsZone: string;
    canaryBaseline: readonly string[];
    /** Plant bait with a local callback base (tests, labs). @default false */
    canaryAllowLocal?: boolean;
  };
  /**
   * The decky's users and install date (a cached `DeckySurvey` fits).
   * @default one exec of {@linkcode readBaitSurvey} per container and planter
   */
  survey?: (container: string) => Promise<BaitSurvey>;
  /**
   * The decky's personas (login and display name); when it gives a list,
   * baseline bait goes only to their homes, else (no lookup, or undefined:
   * no personas configured) to any regular user's.
   */
  personas?: (decky: BaselineDecky) => Promise<readonly BaselinePersona[] | undefined>;
  /** Time limit of one exec. @default 30000 */
  timeoutMs?: number;
  /**
   * How bait reaches deckies of swarm hosts (a decky with a `host`) and comes
   * out again: their agents' `plant` and `revoke` commands. Without it such a
   * plant or removal fails, naming the host.
   */
  agents?: AgentBait;
}

/** Bait into and out of a decky on a swarm host, through its agent. */
export interface AgentBait {
  /** Plants through `host`'s agent (which reads the decky's install date itself). */
  plant(
    host: string,
    decky: { name: string; container?: string },
    input: { artifact: PlantArtifact; token: CanaryTokenRow },
  ): Promise<{ path: string }>;
  /** Takes the token's bait out through `host`'s agent. */
  remove(host: string, decky: string, token: CanaryTokenRow): Promise<void>;
}

/** A persona living on a decky, as baseline placement needs it. */
export interface BaselinePersona {
  login: string;
  /** Display name that signs documents. */
  name: string;
}

/** A decky that `seedBaseline` plants on (a fleet deploy's state entry fits). */
export interface BaselineDecky extends PlantTarget {
  uuid?: string | null;
  /** The swarm host it runs on (see `PlanterOptions.agents`); absent or null: `docker`'s. */
  host?: string | null;
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
 * when it exists in the container; a `~/` path needs that user (bait in the
 * home of someone who is nobody's persona is a tell). Times: the artifact's,
 * never before the decky's OS install, with sub-second digits; every
 * directory touched ends with its newest entry's mtime. The ctime of planted
 * files is the planting instant and cannot be set from inside the decky.
 *
 * @example
 * ```ts
 * import type { Bus } from "../core/bus/base.ts";
 * import type { Config } from "../core/config/config.ts";
 * import type { DockerClient } from "../core/docker/base.ts";
 * import type { Logger } from "../core/log/logger.ts";
 * import type { Repositories } from "../core/db/repositories.ts";
 * import type { CanaryTokenRow } from "../core/db/repositories/canary_repository.ts";
 * import { type PlantArtifact, Planter } from "./planter.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const docker: DockerClient;
 * declare const log: Logger;
 * declare const repos: Repositories;
 * declare const artifact: PlantArtifact;
 * declare const token: CanaryTokenRow;
 * const planter = new Planter({ docker, repos, bus, log, now: () => new Date(), config });
 * const row = await planter.plant({ name: "ws-01", services: ["ssh"] }, { artifact, token });
 * ```
 */
export class Planter {
  readonly #options: PlanterOptions;
  readonly #surveys = new Map<string, Promise<BaitSurvey>>();

  constructor(options: PlanterOptions) {
    this.#options = { ...options };
  }

  /** The container's survey, read once per planter. */
  #survey(container: string): Promise<BaitSurvey> {
    let survey = this.#surveys.get(container);
    if (!survey) {
      survey = this.#options.survey?.(container) ??
        readBaitSurvey(this.#options.docker, container);
      this.#surveys.set(container, survey);
      // A failed read is not cached: the next plant asks again.
      survey.catch(() => this.#surveys.delete(container));
    }
    return survey;
  }

  /**
   * Plants `artifact` for an inserted `token` (its `placement_path` and
   * persona) on `decky`, and records the outcome.
   *
   * @returns the token row after the attempt (state planted or failed)
   */
  async plant(
    decky: PlantTarget & { host?: string | null },
    input: { artifact: PlantArtifact; token: CanaryTokenRow },
  ): Promise<CanaryTokenRow> {
    const { artifact, token } = input;
    const { repos, log } = this.#options;
    const container = plantContainer(decky);
    const host = decky.host ?? null;
    let error: string | null = null;
    try {
      let path: string;
      if (host !== null) {
        if (!this.#options.agents) throw new Error("no swarm connection");
        ({ path } = await this.#options.agents.plant(host, { name: decky.name, container }, input));
      } else {
        const { installedAt } = await this.#survey(container);
        ({ path } = await plantArtifact(this.#options.docker, container, {
          token,
          artifact,
          installedAt,
          now: this.#options.now(),
          timeoutMs: this.#timeoutMs,
        }));
      }
      log.info("canary planted", { token: token.uuid, container, path, ...(host ? { host } : {}) });
    } catch (e) {
      error = failureText(
        e,
        host === null
          ? `Cannot plant in ${container}`
          : `Cannot plant in ${container} on swarm host ${host}`,
      );
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
  async revoke(
    tokenUuid: string,
    options: { audit?: RecordAudit } = {},
  ): Promise<CanaryTokenRow | undefined> {
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
    // Revoked either way; a file left on the decky is reported in the detail.
    await options.audit?.({
      action: "canary_token.revoked",
      target: token.uuid,
      outcome: "success",
      detail: { kind: token.kind, decky: token.decky_name, ...(error ? { error } : {}) },
    });
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
    const refusal = unplantableCallbackError(config.canaryHttpBase, {
      allowLocal: config.canaryAllowLocal ?? false,
    });
    const container = plantContainer(decky);
    let placements: ReturnType<typeof planBaseline> = [];
    let names = new Map<string, string>();
    let planError: string | null = null;
    let personas: readonly BaselinePersona[] | undefined;
    try {
      personas = this.#options.personas ? await this.#options.personas(decky) : undefined;
      names = new Map(personas?.map((p) => [p.login, p.name]) ?? []);
    } catch (e) {
      planError = failureText(e, "Cannot seed: cannot load the personas");
    }
    try {
      if (planError !== null) throw new Error(planError);
      placements = planBaseline(decky.uuid ?? decky.name, {
        baseline: config.canaryBaseline,
        users: (await this.#survey(container)).users,
        ...(personas ? { personaLogins: personas.map((p) => p.login) } : {}),
      });
      if (placements.length === 0 && config.canaryBaseline.length > 0) {
        planError = `Cannot seed: no persona of ${decky.name} has a home in ${container}`;
      }
    } catch (e) {
      planError ??= failureText(e, `Cannot seed: cannot read the users of ${container}`);
    }
    if (planError !== null) {
      log.warn("baseline not seeded", { decky: decky.name, error: planError });
      return {
        decky: decky.name,
        results: config.canaryBaseline.map((generator) => ({
          generator,
          status: "error" as const,
          error: planError!,
        })),
      };
    }
    let planted = new Set<string>();
    try {
      const rows = await repos.canary.listTokensOfDecky(decky.name, ["planted"], {
        host: decky.host ?? null,
      });
      planted = new Set(rows.map((r) => r.generator ?? ""));
    } catch (e) {
      log.warn("cannot list the decky's tokens; seeding all", { decky: decky.name, error: e });
    }
    // The fleet's other deckies: real machines of the LAN that bait may name.
    let peers: { name: string; ip: string }[] = [];
    // TODO(#22): a swarm agent's decky learns no peers yet (its /etc/hosts is written by exec here).
    if (!decky.host) {
      try {
        peers = (await repos.fleet.listRunningDeckies())
          .filter((d) => d.name !== decky.name && d.ip)
          .map((d) => ({ name: d.name, ip: d.ip! }));
      } catch (e) {
        log.warn("cannot list the fleet's deckies; bait names no peer", { error: e });
      }
    }
    if (peers.length > 0 && placements.some((p) => p.generator === "env_file")) {
      // Names in bait must resolve on the decky: its /etc/hosts learns the peers.
      const error = await this.#addHosts(container, peers);
      if (error !== null) {
        log.warn("bait names no peer", { decky: decky.name, error });
        peers = [];
      }
    }
    for (const { generator, user, shapeSeed } of placements) {
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
        if (refusal !== null && GENERATOR_TABLE.get(generator)?.needs.includes("http_base")) {
          throw new Error(refusal);
        }
        const cultivated = await cultivateCanary(contentClass, {
          config,
          persona: {
            os: "linux",
            login: user.login,
            name: names.get(user.login) || user.realName || user.login,
          },
          shapeSeed,
          ...(peers.length > 0 ? { peers: peers.map((p) => p.name) } : {}),
          now: now(),
          deckyName: decky.name,
          deckyUuid: decky.uuid ?? null,
        });
        const token = await repos.canary.insertToken({
          ...cultivated.token,
          decky_host: decky.host ?? null,
        });
        const row = await this.plant({ ...decky, container }, {
          artifact: cultivated.artifact,
          token,
        });
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
    if (token.decky_host) {
      const host = token.decky_host;
      try {
        if (!this.#options.agents) throw new Error("no swarm connection");
        await this.#options.agents.remove(host, token.decky_name ?? "", token);
        return null;
      } catch (e) {
        return failureText(e, `Cannot remove bait from ${token.decky_name} on swarm host ${host}`);
      }
    }
    try {
      const decky = token.decky_name
        ? await repos.fleet.findDecky(token.decky_name, { state: "running" })
        : undefined;
      if (!decky) {
        return `Cannot remove bait: decky is not running, got "${token.decky_name}"`;
      }
      await removeArtifact(docker, plantContainer(decky), {
        token,
        timeoutMs: this.#timeoutMs,
      });
      return null;
    } catch (e) {
      return failureText(e, "Cannot remove bait");
    }
  }

  async #addHosts(
    container: string,
    peers: { name: string; ip: string }[],
  ): Promise<string | null> {
    try {
      const result = await this.#options.docker.exec(
        container,
        shellScript(HOSTS_SCRIPT, peers.flatMap((p) => [p.ip, p.name])),
        { user: "0", timeoutMs: this.#timeoutMs },
      );
      if (result.exitCode === 0) return null;
      return `Cannot add the peers to /etc/hosts in ${container}: ${
        outputText(result.stderr) || `exit code ${result.exitCode}`
      }`;
    } catch (e) {
      return failureText(e, `Cannot add the peers to /etc/hosts in ${container}`);
    }
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? DEFAULT_PLANT_TIMEOUT_MS;
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
