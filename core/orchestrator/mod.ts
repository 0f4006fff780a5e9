/**
 * The orchestrator: realism ticks that make the fleet look inhabited. Every
 * tick rolls an action (a real SSH session between deckies through their own
 * ssh and sshd, a file planted or edited in a real home with the user's shell
 * history, an e-mail delivered by the decky's own dovecot), planned only from
 * what the decky's survey found, runs it through core/docker, writes
 * one row and publishes `orchestrator.<kind>.<decky>`. Pure parts (action
 * roll, tick duties, e-mail formatting, thread links) take their clock and
 * randomness as arguments.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Config } from "../config/config.ts";
 * import type { Logger } from "../log/logger.ts";
 * import { startOrchestrator } from "./mod.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const log: Logger;
 * await using job = await startOrchestrator(config, { log, bus });
 * ```
 *
 * @module
 */
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
export { REPLY_PROBABILITY } from "./email_action.ts";
export { replyDueAt } from "./reply_due_at.ts";
export type { ReplyParent } from "./reply_due_at.ts";
export { inboxPath } from "./inbox_path.ts";
export { deliveryHeaders } from "./delivery_headers.ts";
export type { DeliveryHeadersOptions } from "./delivery_headers.ts";
export { deliverMail } from "./deliver_mail.ts";
export type { DeliverMailOptions, DeliverMailResult } from "./deliver_mail.ts";
export { EDIT_CANDIDATE_SHARE, LOG_APPEND_WINDOW_MS } from "./file_action.ts";
export { fileContainerFor } from "./file_container_for.ts";
export { logTarget } from "./log_target.ts";
export type { LogTarget } from "./log_target.ts";
export { hostFactsOf } from "./host_facts_of.ts";
export { appendLog } from "./append_log.ts";
export type { AppendLogOptions } from "./append_log.ts";
export { plantFile } from "./plant_file.ts";
export type { PlantFileOptions, PlantFileResult } from "./plant_file.ts";
export { plantTree } from "./plant_tree.ts";
export type { PlantTreeOptions, TreeFile } from "./plant_tree.ts";
export { planSshSession, SSH_SESSION_COMMANDS } from "./plan_ssh_session.ts";
export type { PlanSshSessionOptions, SshPeer, SshSessionPlan } from "./plan_ssh_session.ts";
export { runSshSession } from "./run_ssh_session.ts";
export { historyForFile } from "./history_for_file.ts";
export type { HistoryForFileOptions } from "./history_for_file.ts";
export { homeTarget } from "./home_target.ts";
export type { HomeTarget } from "./home_target.ts";
export { appendHistory } from "./append_history.ts";
export { planCronJob } from "./plan_cron_job.ts";
export type { CronJobPlan } from "./plan_cron_job.ts";
export { installCronJob } from "./install_cron_job.ts";
export type { InstallCronJobOptions, InstallCronJobResult } from "./install_cron_job.ts";
export type { AppendHistoryOptions } from "./append_history.ts";
export type { RunSshSessionOptions, SshSessionResult } from "./run_ssh_session.ts";
export { MAX_PERSONAS_PER_DECKY, personasForDecky } from "./personas_for_decky.ts";
export { baselinePersonas } from "./baseline_personas.ts";
export type { DeckyPersona } from "./baseline_personas.ts";
export { canaryCultivator, noCanaryCultivator } from "./canary_cultivator.ts";
export type {
  CanaryBait,
  CanaryCultivator,
  CanaryTokenInput,
  CultivateContext,
} from "./canary_cultivator.ts";
export { AGENT_REST_MS, placeDeckies } from "./place_deckies.ts";
export type {
  PlacedDecky,
  PlaceDeckiesOptions,
  PlacementHost,
  SkippedHost,
} from "./place_deckies.ts";
export { sameHostPeers } from "./same_host_peers.ts";
export type { DeckyOps, DeckyWriteResult } from "./decky_ops.ts";
export { localDeckyOps } from "./local_decky_ops.ts";
export {
  AGENT_ACTION_TIMEOUT_MS,
  AGENT_TRAFFIC_TIMEOUT_MS,
  agentDeckyOps,
} from "./agent_decky_ops.ts";
export type { AgentCommandRequest, AgentDeckyOpsOptions } from "./agent_decky_ops.ts";
export { runFleetSshSession } from "./run_fleet_ssh_session.ts";
export type {
  FleetSshEnd,
  FleetSshSessionResult,
  RunFleetSshSessionOptions,
} from "./run_fleet_ssh_session.ts";
