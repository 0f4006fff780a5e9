import type { DockerClient } from "../docker/mod.ts";
import type { DeckySurvey } from "./decky_survey.ts";
import { surveyDecky } from "./survey_decky.ts";

/** How long a survey is trusted before the decky is surveyed again. */
export const SURVEY_MAX_AGE_MS = 10 * 60_000;
/** How long a failed survey is remembered before it is tried again. */
export const SURVEY_RETRY_MS = 60_000;

/** Options for {@linkcode SurveyCache}. */
export interface SurveyCacheOptions {
  /** @default SURVEY_MAX_AGE_MS */
  maxAgeMs?: number;
  /** @default SURVEY_RETRY_MS */
  retryMs?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Told why a survey failed (the cache answers null meanwhile). */
  onError?: (container: string, error: unknown) => void;
  /** Runs one survey. @default surveyDecky */
  survey?: (docker: DockerClient, container: string, signal?: AbortSignal) => Promise<DeckySurvey>;
}

interface Entry {
  at: number;
  pending: Promise<DeckySurvey | null>;
  failed: boolean;
}

/**
 * One survey per decky deployment, refreshed when older than `maxAgeMs`.
 * Keys name the deployment (decky uuid, container, services), so a redeployed
 * decky is surveyed afresh; concurrent asks share one exec.
 *
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import type { Logger } from "../log/logger.ts";
 * import { SurveyCache } from "./survey_cache.ts";
 * declare const docker: DockerClient;
 * declare const log: Logger;
 * declare const decky: { uuid: string };
 * const container = "ws-01-ssh";
 * const surveys = new SurveyCache(docker, { onError: (c, e) => log.warn("survey failed", { c }) });
 * const survey = await surveys.get(`${decky.uuid}/${container}`, container);
 * ```
 */
export class SurveyCache {
  readonly #docker: DockerClient;
  readonly #maxAgeMs: number;
  readonly #retryMs: number;
  readonly #now: () => number;
  readonly #onError: SurveyCacheOptions["onError"];
  readonly #survey: NonNullable<SurveyCacheOptions["survey"]>;
  readonly #entries = new Map<string, Entry>();

  constructor(docker: DockerClient, options: SurveyCacheOptions = {}) {
    this.#docker = docker;
    this.#maxAgeMs = options.maxAgeMs ?? SURVEY_MAX_AGE_MS;
    this.#retryMs = options.retryMs ?? SURVEY_RETRY_MS;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
    this.#survey = options.survey ??
      ((docker, container, signal) => surveyDecky(docker, container, { signal }));
  }

  /**
   * The survey of `container` under `key`, from the cache while fresh.
   *
   * @returns the survey, or null while the last attempt failed
   */
  get(key: string, container: string, signal?: AbortSignal): Promise<DeckySurvey | null> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && now - entry.at < (entry.failed ? this.#retryMs : this.#maxAgeMs)) {
      return entry.pending;
    }
    const fresh: Entry = { at: now, failed: false, pending: Promise.resolve(null) };
    fresh.pending = this.#survey(this.#docker, container, signal).catch((e) => {
      fresh.failed = true;
      this.#onError?.(container, e);
      return null;
    });
    this.#entries.set(key, fresh);
    return fresh.pending;
  }

  /** Drops what is known of `key` (e.g. after a write into the decky failed). */
  forget(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every entry whose key is not in `keep` (deckies that went away). */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.#entries.keys()) if (!keep.has(key)) this.#entries.delete(key);
  }
}
