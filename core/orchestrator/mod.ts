/**
 * The orchestrator: realism ticks that make the fleet look inhabited. Every
 * tick rolls an action (SSH traffic between deckies, a file planted or
 * edited, an e-mail between personas), runs it through core/docker, writes
 * one row and publishes `orchestrator.<kind>.<decky>`. Pure parts (action
 * roll, tick duties, e-mail formatting, thread links) take their clock and
 * randomness as arguments.
 *
 * @example
 * ```ts
 * import { startOrchestrator } from "./core/orchestrator/mod.ts";
 * await using job = await startOrchestrator(config, { log, bus });
 * ```
 *
 * @module
 */
export {
  makeOrchestratorWorker,
  orchestratorNeeds,
  orchestratorWorker,
} from "./orchestrator_worker.ts";
export { startOrchestrator } from "./start_orchestrator.ts";
export type { OrchestratorHandle, StartOrchestratorOptions } from "./start_orchestrator.ts";
export { Orchestrator } from "./orchestrator.ts";
export type { OrchestratorOptions, OrchestratorRepos, TickResult } from "./orchestrator.ts";
export { rollActionOrder } from "./action_weights.ts";
export {
  EMAILS_KEPT_PER_DECKY,
  EVENTS_KEPT_PER_DECKY,
  PRUNE_EVERY_TICKS,
  RELOAD_SETTINGS_EVERY_TICKS,
  tickDuties,
} from "./tick_duties.ts";
export type { TickDuties } from "./tick_duties.ts";
export { buildEmailMessage } from "./build_email_message.ts";
export type { BuildEmailMessageOptions, EmailParty } from "./build_email_message.ts";
export { formatEmailDate } from "./format_email_date.ts";
export { replySubject } from "./reply_subject.ts";
export { threadLinks } from "./thread_links.ts";
export type { ThreadLinks, ThreadParent } from "./thread_links.ts";
export { makeMessageId } from "./make_message_id.ts";
export { DEFAULT_MAIL_SPOOL, REPLY_PROBABILITY } from "./email_action.ts";
export { EDIT_CANDIDATE_SHARE, fileContainerFor, LOG_APPEND_WINDOW_MS } from "./file_action.ts";
export { logTarget } from "./log_target.ts";
export type { LogTarget } from "./log_target.ts";
export { hostFactsOf } from "./host_facts_of.ts";
export { appendLog } from "./append_log.ts";
export type { AppendLogOptions } from "./append_log.ts";
export { plantFile } from "./plant_file.ts";
export type { PlantFileOptions, PlantFileResult } from "./plant_file.ts";
export { exchangeSshBanners, SSH_CLIENT_IDENTS } from "./exchange_ssh_banners.ts";
export type { ExchangeSshBannersOptions, SshBannerResult } from "./exchange_ssh_banners.ts";
export { MAX_PERSONAS_PER_DECKY, personasForDecky } from "./personas_for_decky.ts";
export { canaryCultivator, noCanaryCultivator } from "./canary_cultivator.ts";
export type {
  CanaryBait,
  CanaryCultivator,
  CanaryTokenInput,
  CultivateContext,
} from "./canary_cultivator.ts";
