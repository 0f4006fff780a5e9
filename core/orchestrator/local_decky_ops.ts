import type { DockerClient } from "../docker/mod.ts";
import { surveyDecky } from "../survey/mod.ts";
import { appendHistory } from "./append_history.ts";
import { appendLog } from "./append_log.ts";
import type { DeckyOps } from "./decky_ops.ts";
import { deliverMail } from "./deliver_mail.ts";
import { installCronJob } from "./install_cron_job.ts";
import { plantFile } from "./plant_file.ts";
import { plantTree } from "./plant_tree.ts";
import { runFleetSshSession } from "./run_fleet_ssh_session.ts";

/**
 * The orchestrator's work inside deckies of this host, on its own Docker.
 *
 * @param docker this host's Docker
 * @returns the operations, `host` null
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { localDeckyOps } from "./local_decky_ops.ts";
 * declare const docker: DockerClient;
 * const survey = await localDeckyOps(docker).survey("ws-01-ssh");
 * ```
 */
export function localDeckyOps(docker: DockerClient): DeckyOps {
  return {
    host: null,
    survey: (container, signal) => surveyDecky(docker, container, { signal }),
    plantFile: (container, options) => plantFile(docker, container, options),
    appendLog: (container, options) => appendLog(docker, container, options),
    plantTree: (container, options) => plantTree(docker, container, options),
    installCronJob: (container, options) => installCronJob(docker, container, options),
    appendHistory: (container, options) => appendHistory(docker, container, options),
    deliverMail: (container, options) => deliverMail(docker, container, options),
    sshSession: (options) => runFleetSshSession(docker, options),
  };
}
