import { errorText } from "../log/mod.ts";
import { orchestratorTopic } from "../bus/mod.ts";
import type { Bus, OrchestratorEventPayload, OrchestratorKind } from "../bus/mod.ts";
import type { RunningDecky } from "../db/mod.ts";
import type { DockerClient } from "../docker/mod.ts";
import type { Logger } from "../log/mod.ts";
import { SurveyCache } from "../survey/mod.ts";
import type { DeckySurvey } from "../survey/mod.ts";
import {
  DEFAULT_REALISM_SETTINGS,
  LLMCircuitBreaker,
  parseRealismSettings,
  REALISM_SETTINGS_KEY,
} from "../../realism/mod.ts";
import type { BreakerState, LLMBackend, Persona, RealismSettings } from "../../realism/mod.ts";
import type { ActionOutcome, OrchestratorRepos, TickContext } from "./_tick_context.ts";
import { rollActionOrder } from "./action_weights.ts";
import { noCanaryCultivator } from "./canary_cultivator.ts";
import type { CanaryCultivator } from "./canary_cultivator.ts";
import { runEmailAction } from "./email_action.ts";
import { runFileAction } from "./file_action.ts";
import { fileContainerFor } from "./file_container_for.ts";
import { EMAILS_KEPT_PER_DECKY, EVENTS_KEPT_PER_DECKY, tickDuties } from "./tick_duties.ts";
import { runTrafficAction } from "./traffic_action.ts";
import { agentDeckyOps } from "./agent_decky_ops.ts";
import { SwarmCommandError } from "../swarm/swarm_command_error.ts";
import type { AgentCommandRequest } from "./agent_decky_ops.ts";
import type { DeckyOps } from "./decky_ops.ts";
import { localDeckyOps } from "./local_decky_ops.ts";
import { AGENT_REST_MS, placeDeckies } from "./place_deckies.ts";
import type { SkippedHost } from "./place_deckies.ts";

export type { OrchestratorRepos } from "./_tick_context.ts";

/** Options for {@linkcode Orchestrator}. */
export interface OrchestratorOptions {
  repos: OrchestratorRepos;
  /** This host's Docker, for the deckies that run here. */
  docker: DockerClient;
  /**
   * Sends a command to a swarm agent (the master's NATS connection behind
   * it); without it the deckies of swarm hosts are left alone.
   */
  agents?: AgentCommandRequest | null;
  bus: Bus;
  log: Logger;
  /** The global persona pool. */
  personaPool: { load(): Promise<{ personas: readonly Persona[] }> };
  /** Builds the LLM backend for a model (null: the configured default); null when none is configured. */
  makeLlm: (model: string | null) => LLMBackend | null;
  /** Whether the LLM is on when neither the CLI nor the stored settings say (DECNET_REALISM_LLM set). */
  llmByDefault: boolean;
  /** `--llm` (true) / `--no-llm` (false): wins over everything. */
  llmOverride?: boolean | null;
  /** @default 60000 */
  llmTimeoutMs?: number;
  /** @default a breaker with 3 failures, 60 s */
  breaker?: LLMCircuitBreaker;
  /** @default canaries fall back to ordinary files */
  cultivate?: CanaryCultivator;
  /** @default Math.random */
  random?: () => number;
  /** @default () => new Date() */
  now?: () => Date;
  /** Surveys of the deckies. @default a SurveyCache on `docker` with the orchestrator's clock */
  surveys?: SurveyCache;
  /** Caps used when pruning. */
  eventsKept?: number;
  emailsKept?: number;
}

/** What one tick did. */
export interface TickResult {
  tick: number;
  /** The kind that acted; null when no kind had anything to do. */
  kind: OrchestratorKind | null;
  ok: boolean;
  action: string | null;
  decky: string | null;
  detail: string;
  /** Rows removed when this tick pruned. */
  pruned?: { events: number; emails: number };
  /** Swarm hosts whose deckies this tick left alone, and why. */
  skipped: SkippedHost[];
}

/**
 * The realism tick: each call rolls an action kind by weight (falling
 * through to the others when it has nothing to do), runs one driver, writes
 * one row and publishes `orchestrator.<kind>.<decky>`. Every 5th tick it
 * re-reads the settings, every 100th it prunes.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Config } from "../config/config.ts";
 * import type { DockerClient } from "../docker/base.ts";
 * import type { Logger } from "../log/logger.ts";
 * import type { Repositories } from "../db/repositories.ts";
 * import { Orchestrator } from "./orchestrator.ts";
 * import { PersonaPool } from "../../realism/persona_pool.ts";
 * import { createLlmBackend } from "../../realism/llm/factory.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const docker: DockerClient;
 * declare const log: Logger;
 * declare const repos: Repositories;
 * const personaPool = new PersonaPool({ configuredPath: config.realismPersonas });
 * const makeLlm = (model: string | null) =>
 *   createLlmBackend({ ...config, realismModel: model ?? config.realismModel });
 * const orchestrator = new Orchestrator({ repos, docker, bus, log, personaPool, makeLlm, llmByDefault: false });
 * const result = await orchestrator.tick();
 * ```
 */
export class Orchestrator {
  readonly #o: OrchestratorOptions;
  readonly #breaker: LLMCircuitBreaker;
  readonly #random: () => number;
  readonly #now: () => Date;
  readonly #surveys: SurveyCache;
  #settings: RealismSettings = DEFAULT_REALISM_SETTINGS;
  #ticks = 0;
  #last: TickResult | null = null;
  #llm: { model: string | null; backend: LLMBackend | null } | null = null;
  /** Deckies that got rows since the last prune (null: sweep all, as after a start). */
  #touchedEvents: Set<string> | null = null;
  #touchedEmails: Set<string> | null = null;
  readonly #sshKeys = new Map<string, string>();
  readonly #local: DeckyOps;
  /** Surveys of agents' deckies, one cache per swarm host. */
  readonly #agentSurveys = new Map<string, SurveyCache>();
  /** Per swarm host, this tick's deckies by file container (a survey command names the decky). */
  #agentContainers = new Map<string, Map<string, RunningDecky>>();
  /** Swarm hosts that did not answer, left alone until the time given. */
  readonly #resting = new Map<string, Date>();

  constructor(options: OrchestratorOptions) {
    this.#o = options;
    this.#breaker = options.breaker ?? new LLMCircuitBreaker();
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? (() => new Date());
    this.#local = localDeckyOps(options.docker);
    this.#surveys = options.surveys ??
      this.#surveyCache(null, (container, signal) => this.#local.survey(container, signal));
  }

  #surveyCache(
    host: string | null,
    survey: (container: string, signal?: AbortSignal) => Promise<DeckySurvey>,
  ): SurveyCache {
    return new SurveyCache(this.#o.docker, {
      now: () => this.#now().getTime(),
      survey: (_docker, container, signal) => survey(container, signal),
      onError: (container, e) =>
        this.#o.log.warn("cannot survey decky", {
          container,
          ...(host ? { host } : {}),
          error: errorText(e),
        }),
    });
  }

  /** Ticks run so far. */
  get ticks(): number {
    return this.#ticks;
  }

  /** The settings in effect. */
  get settings(): RealismSettings {
    return this.#settings;
  }

  /** Whether ticks use the LLM now. */
  get llmEnabled(): boolean {
    return this.#o.llmOverride ?? this.#settings.llm.enabled ?? this.#o.llmByDefault;
  }

  /** The backend in use (null when the LLM is off or not configured). */
  get llm(): LLMBackend | null {
    if (!this.llmEnabled) return null;
    const model = this.#settings.llm.model;
    if (!this.#llm || this.#llm.model !== model) {
      this.#llm = { model, backend: this.#o.makeLlm(model) };
    }
    return this.#llm.backend;
  }

  get breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /** Figures for the heartbeat. */
  extras(): Record<string, string | number | boolean | null> {
    const llm = this.llm;
    return {
      ticks: this.#ticks,
      last_action: this.#last?.kind ? `${this.#last.kind}:${this.#last.action}` : null,
      last_result: this.#last
        ? (this.#last.kind === null ? "idle" : this.#last.ok ? "ok" : "failed")
        : null,
      last_detail: this.#last?.detail ?? null,
      skipped_hosts: this.#last?.skipped.map((s) => s.host).join(",") || null,
      llm_enabled: llm !== null,
      llm_backend: llm?.name ?? null,
      llm_model: llm?.model ?? null,
      breaker_state: this.#breaker.state,
    };
  }

  /** Reads the stored settings; an invalid document is logged and the previous settings stay. */
  async reloadSettings(): Promise<RealismSettings> {
    const stored = await this.#o.repos.settings.get(REALISM_SETTINGS_KEY);
    if (stored === undefined) {
      this.#settings = DEFAULT_REALISM_SETTINGS;
    } else {
      const parsed = parseRealismSettings(stored);
      if (parsed.ok) this.#settings = parsed.settings;
      else {
        this.#o.log.warn("stored realism settings are invalid; keeping the previous ones", {
          errors: parsed.errors.map((e) => `${e.field}: ${e.message}`).join("; "),
        });
      }
    }
    return this.#settings;
  }

  /**
   * Runs one tick. Failures of Docker are recorded as failed actions; a
   * failure of the database rejects (the caller logs it and goes on).
   */
  async tick(signal?: AbortSignal): Promise<TickResult> {
    const tick = ++this.#ticks;
    const duties = tickDuties(tick);
    if (duties.reloadSettings) await this.reloadSettings();
    const now = this.#now();
    const { placed, skipped } = placeDeckies(await this.#o.repos.fleet.listRunningDeckies(), {
      hosts: (await this.#o.repos.swarmHosts.list()).map((h) => ({
        name: h.name,
        joined: h.enrolled_at !== null,
        revoked: h.revoked_at !== null,
      })),
      canCommand: !!this.#o.agents,
      resting: this.#resting,
      now,
    });
    for (const s of skipped) {
      this.#o.log.debug("swarm host left alone", { host: s.host, reason: s.reason });
    }
    const deckies = placed.map((p) => p.decky);
    const hosts = new Map(placed.map((p) => [p.decky.uuid, p.host]));
    this.#surveys.retain(new Set(deckies.filter((d) => !hosts.get(d.uuid)).map(surveyKey)));
    this.#agentContainers = new Map();
    for (const { decky, host } of placed) {
      const container = fileContainerFor(decky);
      if (host === null || container === null) continue;
      const byContainer = this.#agentContainers.get(host) ?? new Map<string, RunningDecky>();
      byContainer.set(container, decky);
      this.#agentContainers.set(host, byContainer);
    }
    for (const [host, cache] of this.#agentSurveys) {
      cache.retain(new Set(deckies.filter((d) => hosts.get(d.uuid) === host).map(surveyKey)));
    }
    const ctx = this.#context(now, deckies, (d) => hosts.get(d.uuid) ?? null, signal);
    let outcome: ActionOutcome | null = null;
    for (const kind of rollActionOrder(this.#settings.action_weights, this.#random)) {
      outcome = await ACTIONS[kind](ctx);
      if (outcome) break;
    }
    const result: TickResult = outcome
      ? {
        tick,
        kind: outcome.kind,
        ok: outcome.ok,
        action: outcome.action,
        decky: outcome.decky,
        detail: outcome.detail,
        skipped,
      }
      : {
        tick,
        kind: null,
        ok: true,
        action: null,
        decky: null,
        detail: "nothing to do",
        skipped,
      };
    if (outcome) {
      const touched = outcome.kind === "email" ? this.#touchedEmails : this.#touchedEvents;
      touched?.add(outcome.deckyUuid);
      const payload: OrchestratorEventPayload = {
        decky: outcome.decky,
        kind: outcome.kind,
        action: outcome.action,
        at: now.toISOString(),
        ok: outcome.ok,
        detail: outcome.detail,
      };
      this.#o.bus.publish(orchestratorTopic(outcome.kind, outcome.decky), payload);
      const log = outcome.ok ? this.#o.log.info : this.#o.log.warn;
      log.call(this.#o.log, `${outcome.kind} ${outcome.ok ? "ok" : "failed"}`, {
        tick,
        detail: outcome.detail,
      });
    } else {
      this.#o.log.debug("nothing to do", { tick, deckies: deckies.length });
    }
    if (duties.prune) result.pruned = await this.prune();
    this.#last = result;
    return result;
  }

  /**
   * Prunes events to the cap per destination decky and emails to the cap
   * per mail decky. The first prune sweeps every decky; later ones only the
   * deckies that got rows since (the others cannot have grown).
   */
  async prune(): Promise<{ events: number; emails: number }> {
    const eventsKept = this.#o.eventsKept ?? EVENTS_KEPT_PER_DECKY;
    const emailsKept = this.#o.emailsKept ?? EMAILS_KEPT_PER_DECKY;
    const eventDeckies = this.#touchedEvents;
    const emailDeckies = this.#touchedEmails;
    this.#touchedEvents = new Set();
    this.#touchedEmails = new Set();
    const events = await this.#o.repos.orchestrator.pruneEvents(
      eventsKept,
      eventDeckies ? { deckies: [...eventDeckies] } : {},
    );
    const emails = await this.#o.repos.orchestrator.pruneEmails(
      emailsKept,
      emailDeckies ? { deckies: [...emailDeckies] } : {},
    );
    if (events + emails > 0) this.#o.log.info("pruned", { events, emails });
    return { events, emails };
  }

  /** The operations on `decky`: local, or commands to its swarm host's agent. */
  #opsFor(decky: RunningDecky, host: string | null): DeckyOps {
    const agents = this.#o.agents;
    if (host === null || !agents) return this.#local;
    // Once a host went unanswered, the rest of the tick does not wait on it again.
    const request: AgentCommandRequest = (h, verb, args, options) => {
      const until = this.#resting.get(h);
      if (until && until > this.#now()) {
        return Promise.reject(
          new SwarmCommandError(
            h,
            verb,
            "offline",
            `no answer lately; left alone until ${until.toISOString()}`,
          ),
        );
      }
      return agents(h, verb, args, options);
    };
    return agentDeckyOps(request, {
      host,
      decky: decky.name,
      onUnreachable: (host, e) => {
        const resting = this.#resting.get(host);
        if (resting && resting > this.#now()) return;
        const until = new Date(this.#now().getTime() + AGENT_REST_MS);
        this.#resting.set(host, until);
        this.#o.log.warn("swarm host does not answer; its deckies are left alone for a while", {
          host,
          until: until.toISOString(),
          error: e.message,
        });
      },
    });
  }

  /** The survey cache of a host: an agent's surveys go as commands naming the container's decky. */
  #surveysOf(host: string | null): SurveyCache {
    if (host === null || !this.#o.agents) return this.#surveys;
    let cache = this.#agentSurveys.get(host);
    if (!cache) {
      cache = this.#surveyCache(host, (container, signal) => {
        const decky = this.#agentContainers.get(host)?.get(container);
        if (!decky) {
          return Promise.reject(
            new RangeError(
              `Cannot survey container ${container} on swarm host ${host}: no running decky has it`,
            ),
          );
        }
        return this.#opsFor(decky, host).survey(container, signal);
      });
      this.#agentSurveys.set(host, cache);
    }
    return cache;
  }

  #context(
    now: Date,
    deckies: RunningDecky[],
    hostOf: (decky: RunningDecky) => string | null,
    signal?: AbortSignal,
  ): TickContext {
    let pool: Promise<readonly Persona[]> | null = null;
    const repos = this.#o.repos;
    const log = this.#o.log;
    return {
      repos,
      opsFor: (decky) => this.#opsFor(decky, hostOf(decky)),
      bus: this.#o.bus,
      log,
      random: this.#random,
      now,
      settings: this.#settings,
      deckies,
      pool: () => {
        pool ??= this.#o.personaPool.load().then((p) => p.personas).catch((e) => {
          log.warn("cannot read the persona pool", { error: errorText(e) });
          return [];
        });
        return pool;
      },
      llm: this.llm,
      breaker: this.#breaker,
      llmTimeoutMs: (this.#settings.llm.timeout_seconds ?? 0) * 1000 ||
        (this.#o.llmTimeoutMs ?? 60_000),
      cultivate: this.#o.cultivate ?? noCanaryCultivator(),
      surveyOf: (decky) => {
        const container = fileContainerFor(decky);
        if (container === null) return Promise.resolve(null);
        return this.#surveysOf(hostOf(decky)).get(surveyKey(decky), container, signal);
      },
      forgetSurvey: (decky) => this.#surveysOf(hostOf(decky)).forget(surveyKey(decky)),
      sshKeys: this.#sshKeys,
      signal,
    };
  }
}

/** One survey per deployment: a change of services or address is a new deployment. */
function surveyKey(decky: RunningDecky): string {
  return JSON.stringify([decky.uuid, fileContainerFor(decky), decky.services, decky.ip]);
}

const ACTIONS: Record<OrchestratorKind, (ctx: TickContext) => Promise<ActionOutcome | null>> = {
  traffic: runTrafficAction,
  file: runFileAction,
  email: runEmailAction,
};
