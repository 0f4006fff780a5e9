import type { DeckySurvey } from "../survey/mod.ts";
import type { AppendHistoryOptions } from "./append_history.ts";
import type { AppendLogOptions } from "./append_log.ts";
import type { DeliverMailOptions, DeliverMailResult } from "./deliver_mail.ts";
import type { InstallCronJobOptions, InstallCronJobResult } from "./install_cron_job.ts";
import type { PlantFileOptions, PlantFileResult } from "./plant_file.ts";
import type { PlantTreeOptions } from "./plant_tree.ts";
import type { FleetSshSessionResult, RunFleetSshSessionOptions } from "./run_fleet_ssh_session.ts";

/** How one write into a decky ended. */
export interface DeckyWriteResult {
  ok: boolean;
  exitCode: number;
  stderr: string;
}

/**
 * Everything the orchestrator does inside one decky, wherever it runs: on
 * this host's Docker ({@linkcode localDeckyOps}) or on a swarm agent's, as
 * commands to that agent ({@linkcode agentDeckyOps}). The drivers plan the
 * same way for both; only these calls differ.
 */
export interface DeckyOps {
  /** The swarm host the decky runs on; null for this host's own Docker. */
  readonly host: string | null;
  /** Reads what the container really holds and runs (before anything is written there). */
  survey(container: string, signal?: AbortSignal): Promise<DeckySurvey>;
  plantFile(container: string, options: PlantFileOptions): Promise<PlantFileResult>;
  appendLog(container: string, options: AppendLogOptions): Promise<DeckyWriteResult>;
  plantTree(container: string, options: PlantTreeOptions): Promise<DeckyWriteResult>;
  installCronJob(
    container: string,
    options: InstallCronJobOptions,
  ): Promise<InstallCronJobResult>;
  appendHistory(container: string, options: AppendHistoryOptions): Promise<DeckyWriteResult>;
  deliverMail(container: string, options: DeliverMailOptions): Promise<DeliverMailResult>;
  /** An SSH session from this decky to a peer on the same Docker. */
  sshSession(options: RunFleetSshSessionOptions): Promise<FleetSshSessionResult>;
}
