// The light files only: the canary and orchestrator folders' mod.ts pull in
// the document generators and the realism engine, which an agent never needs.
import { plantArtifact } from "../../canary/plant_artifact.ts";
import { plantContainer } from "../../canary/plant_container.ts";
import { readBaitSurvey } from "../../canary/read_bait_survey.ts";
import { removeArtifact } from "../../canary/remove_artifact.ts";
import { appendHistory } from "../orchestrator/append_history.ts";
import { appendLog } from "../orchestrator/append_log.ts";
import { deliverMail } from "../orchestrator/deliver_mail.ts";
import { installCronJob } from "../orchestrator/install_cron_job.ts";
import { plantFile } from "../orchestrator/plant_file.ts";
import { plantTree } from "../orchestrator/plant_tree.ts";
import { runFleetSshSession } from "../orchestrator/run_fleet_ssh_session.ts";
import { readSurveyOutput } from "../survey/read_survey_output.ts";
import { decodeBase64 } from "../swarm/base64.ts";
import type { AgentCommandHandlers } from "../swarm/serve_agent_commands.ts";
import { deployFleet } from "./deploy_fleet.ts";
import type { FleetContext } from "./fleet_context.ts";
import { fleetSpecForHost } from "./fleet_spec_for_host.ts";
import { parseFleetSpec } from "./fleet_spec.ts";
import type { StateDecky } from "./state_file.ts";
import { teardownFleet } from "./teardown_fleet.ts";

/** Time limit of one exec into a decky for a command. */
const EXEC_TIMEOUT_MS = 30_000;

/**
 * The work behind each command an agent accepts, done by the domain code
 * against the agent's own Docker and state file (`context`): `deploy` parses
 * the fleet file and deploys only the deckies it places on this agent,
 * `teardown` removes deckies, `plant` / `revoke` put canary bait into a
 * decky and take it out (the master keeps the token's record), `survey`
 * reads a decky for the master's orchestrator (which plans from it before it
 * writes, as on its own deckies), `file` (write, append, tree, cron, history)
 * and `mail` are the orchestrator's writes and mail delivery, `traffic` an
 * SSH session between two deckies of this agent through the same driver the
 * master runs on its own Docker. Everything goes only into containers of
 * deckies this agent runs.
 *
 * @param context the agent's fleet context (its Docker, state file and log)
 * @param options `name`: this agent's swarm host name
 * @returns one handler per verb, for serveAgentCommands
 * @example
 * ```ts
 * import type { FleetContext } from "./fleet_context.ts";
 * import { agentCommandHandlers } from "./agent_command_handlers.ts";
 * declare const context: FleetContext;
 * const handlers = agentCommandHandlers(context, { name: "dmz-1" });
 * ```
 */
export function agentCommandHandlers(
  context: FleetContext,
  options: { name: string },
): AgentCommandHandlers {
  const { docker } = context;
  return {
    deploy: async (args) => {
      const spec = fleetSpecForHost(parseFleetSpec(args.fleet), options.name);
      if (spec.deckies.length === 0) {
        throw new RangeError(`Cannot deploy: the fleet file places no decky on ${options.name}`);
      }
      return await deployFleet(spec, context, { dryRun: args.dry_run ?? false });
    },
    teardown: async (args) =>
      await teardownFleet(context, { all: args.all ?? false, names: args.deckies ?? [] }),
    plant: async (args) => {
      const container = await ownContainer(context, args.decky.name, args.decky.container);
      const { installedAt } = await readBaitSurvey(docker, container);
      const { artifact } = args;
      return await plantArtifact(docker, container, {
        token: args.token,
        artifact: {
          bytes: decodeBase64(artifact.bytes),
          mode: artifact.mode,
          modifiedAt: artifact.modified_at,
          companions: artifact.companions && {
            anchor: artifact.companions.anchor,
            files: artifact.companions.files.map((f) => ({
              path: f.path,
              bytes: decodeBase64(f.bytes),
              mode: f.mode,
              modifiedAt: f.modified_at,
            })),
          },
        },
        installedAt,
        now: context.now(),
        timeoutMs: EXEC_TIMEOUT_MS,
      });
    },
    revoke: async (args) => {
      const container = await ownContainer(context, args.decky.name, args.decky.container);
      await removeArtifact(docker, container, { token: args.token, timeoutMs: EXEC_TIMEOUT_MS });
      return { removed: true };
    },
    survey: async (args) => {
      const container = await ownContainer(context, args.decky, args.container);
      return await readSurveyOutput(docker, container, { timeoutMs: EXEC_TIMEOUT_MS });
    },
    file: async (args) => {
      const container = await ownContainer(context, args.decky, args.container);
      const timeoutMs = EXEC_TIMEOUT_MS;
      switch (args.op) {
        case "write": {
          const r = await plantFile(docker, container, {
            path: args.path,
            bytes: decodeBase64(args.bytes),
            mode: args.mode,
            mtime: new Date(args.mtime),
            owner: args.owner,
            timeoutMs,
          });
          return { ...written(r), owned: r.owned };
        }
        case "append":
          return written(
            await appendLog(docker, container, {
              path: args.path,
              bytes: decodeBase64(args.bytes),
              timeoutMs,
            }),
          );
        case "tree":
          return written(
            await plantTree(docker, container, {
              root: args.root,
              login: args.login,
              files: args.files.map((f) => ({
                path: f.path,
                bytes: decodeBase64(f.bytes),
                mode: f.mode,
                mtime: new Date(f.mtime),
              })),
              timeoutMs,
            }),
          );
        case "cron": {
          const r = await installCronJob(docker, container, {
            login: args.login,
            relPath: args.rel_path,
            script: args.script,
            line: args.line,
            timeoutMs,
          });
          return { ...written(r), installed: r.installed };
        }
        case "history":
          return written(
            await appendHistory(docker, container, {
              login: args.login,
              lines: args.lines,
              timeoutMs,
            }),
          );
      }
    },
    mail: async (args) => {
      const container = await ownContainer(context, args.decky, args.container);
      const r = await deliverMail(docker, container, {
        login: args.login,
        sender: args.sender,
        bytes: decodeBase64(args.bytes),
        timeoutMs: EXEC_TIMEOUT_MS,
      });
      return { ...written(r), no_lda: r.noLda };
    },
    traffic: async (args) => {
      const deckies = await context.stateFile.read();
      const end = async (e: { decky: string; container: string }) => {
        const container = await ownContainer(context, e.decky, e.container, deckies);
        const d = deckies.find((s) => s.name === e.decky)!;
        return { name: d.name, ip: d.ip, images: d.images, container };
      };
      const r = await runFleetSshSession(docker, {
        src: await end(args.src),
        dst: await end(args.dst),
        login: args.login,
        dstIp: args.dst_ip,
        commands: args.commands,
        authorizedKey: args.authorized_key,
      });
      return {
        ...written(r),
        failed_step: r.failedStep,
        authorized_key: r.authorizedKey,
        port: r.port,
        ...(r.gateError ? { gate_error: r.gateError } : {}),
      };
    },
  };
}

/**
 * The container a command may touch: `container` (or, for bait, the one
 * plantContainer picks) of a decky this agent's state file records.
 */
async function ownContainer(
  context: FleetContext,
  deckyName: string,
  container: string | undefined,
  deckies?: readonly StateDecky[],
): Promise<string> {
  const decky = (deckies ?? await context.stateFile.read()).find((d) => d.name === deckyName);
  if (!decky) throw new RangeError(`Cannot act on decky ${deckyName}: this agent does not run it`);
  const own = [decky.name, ...decky.services.map((s) => `${decky.name}-${s}`)];
  const chosen = container ?? plantContainer(decky);
  if (!own.includes(chosen)) {
    throw new RangeError(
      `Cannot act on container ${chosen}: expected one of decky ${deckyName}'s (${own.join(", ")})`,
    );
  }
  return chosen;
}

/** A write's outcome as it travels (snake_case). */
function written(r: { ok: boolean; exitCode: number; stderr: string }) {
  return { ok: r.ok, exit_code: r.exitCode, stderr: r.stderr };
}
