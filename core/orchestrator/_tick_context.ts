// Folder-private: what each action of a tick receives.
import type { Bus, OrchestratorKind } from "../bus/mod.ts";
import type { Repositories, RunningDecky } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { DeckySurvey } from "../survey/mod.ts";
import type { LLMBackend, LLMCircuitBreaker, Persona, RealismSettings } from "../../realism/mod.ts";
import type { CanaryCultivator } from "./canary_cultivator.ts";
import type { DeckyOps } from "./decky_ops.ts";
import { isSensorImage } from "../sensor/sensor_image.ts";

/** Repositories the orchestrator uses. */
export type OrchestratorRepos = Pick<
  Repositories,
  "fleet" | "syntheticFiles" | "orchestrator" | "settings" | "canary" | "swarmHosts"
>;

export interface TickContext {
  repos: OrchestratorRepos;
  /** Where the decky's actions go: this host's Docker, or its swarm agent. */
  opsFor(decky: RunningDecky): DeckyOps;
  bus: Bus;
  log: Logger;
  random: () => number;
  now: Date;
  settings: RealismSettings;
  /** The deckies this tick may act on (those of hosts that cannot be commanded now are left out). */
  deckies: RunningDecky[];
  /** The persona pool every decky draws its personas from (read once per tick). */
  pool(): Promise<readonly Persona[]>;
  llm: LLMBackend | null;
  breaker: LLMCircuitBreaker;
  llmTimeoutMs: number;
  cultivate: CanaryCultivator;
  /**
   * What the decky's file container really holds and runs (users and uids,
   * running daemons, /var/log layout, mail location, peers), from a survey
   * cached per deployment; null when it has no file container or cannot be
   * surveyed. Plan only what fits it.
   */
  surveyOf(decky: RunningDecky): Promise<DeckySurvey | null>;
  /** Drops the decky's cached survey (a write that relied on it failed). */
  forgetSurvey(decky: RunningDecky): void;
  /**
   * Keys SSH sessions authorised, by source container, peer container and
   * login (kept across ticks, so a pair's next session is one exec).
   */
  sshKeys: Map<string, string>;
  signal?: AbortSignal;
}

/** What an action did (null from an action: nothing to do). */
export interface ActionOutcome {
  kind: OrchestratorKind;
  /** The decky named in the bus topic. */
  decky: string;
  /** Destination decky uuid (for pruning). */
  deckyUuid: string;
  ok: boolean;
  /** create, edit, connect, send, reply... */
  action: string;
  detail: string;
}

export function pickOne<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length) % items.length];
}

/** A copy of `items` in random order (Fisher-Yates). */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1)) % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** The container serving `service`: its own, or the base when the sensor (no shell) serves it. */
export function containerFor(decky: RunningDecky, service: string): string {
  return isSensorImage(decky.images?.[service]) ? decky.name : `${decky.name}-${service}`;
}
