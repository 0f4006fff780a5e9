// Light imports only: the job (NATS client, fleet and Docker code) loads when the worker starts.
import { stateFilePaths } from "../fleet/state_file_paths.ts";
import { defineWorker } from "../workers/worker_definition.ts";
import { addAgentNatsAccess } from "./add_agent_nats_access.ts";
import { swarmFiles } from "./swarm_files.ts";

/**
 * The swarm agent worker (`DECNET_MODE=agent`, and `decnet agent serve`
 * alone): connects to the swarm's nats-server with the credentials `decnet
 * agent join` stored, answers the master's commands (deploy, teardown, plant,
 * revoke, file, mail) on this host's Docker, one at a time, and publishes the
 * host's heartbeat. Its record is the state file: it holds no database URL
 * and no JWT secret. It reads only its swarm files (agent.json, agent.creds,
 * ca.pem) and reaches only nats-server's address from agent.json (resolved
 * before each spawn) and Docker.
 */
export const agentWorker = defineWorker({
  name: "agent",
  description: "Answers the swarm master's commands on this host's Docker and sends heartbeats",
  // Not critical: while nats-server cannot be reached it restarts with backoff, and the agent's
  // other workers (listeners, reconciler) go on.
  critical: false,
  configKeys: ["home", "hostUuid", "dockerHost"],
  needs: (config) => {
    const files = swarmFiles(config.home);
    // Deploys and teardowns write the state file (a temporary file in its own directory, renamed).
    const state = stateFilePaths(config.home);
    return {
      listen: [],
      connect: [],
      database: false,
      docker: true,
      read: [files.agentInfo, files.agentCreds, files.agentCa, state.path, state.tmpDir],
      write: [state.path, state.tmpDir],
    };
  },
  resolveNeeds: addAgentNatsAccess,
  async start(config, { log }) {
    const { requireAgentSwarm } = await import("./require_agent_swarm.ts");
    const joined = await requireAgentSwarm(config.home, "serve the swarm");
    const { connectSwarmNats } = await import("./connect_swarm_nats.ts");
    const { agentSubjects } = await import("./swarm_subjects.ts");
    const { serveAgentCommands } = await import("./serve_agent_commands.ts");
    const { startAgentHeartbeat } = await import("./start_agent_heartbeat.ts");
    const { agentCommandHandlers } = await import("../fleet/agent_command_handlers.ts");
    const { agentFleetRows } = await import("../fleet/agent_fleet_rows.ts");
    const { fleetContextFor } = await import("../fleet/fleet_context_for.ts");
    const { openDocker } = await import("../docker/mod.ts");
    const { VERSION } = await import("../version.ts");
    const nc = await connectSwarmNats({
      url: joined.natsUrl,
      caFile: joined.caFile,
      creds: joined.creds,
      name: `decnet-agent-${joined.name}`,
      inboxPrefix: agentSubjects(joined.name).inboxPrefix,
      reconnect: true,
    });
    const docker = openDocker({ dockerHost: config.dockerHost });
    const now = () => new Date();
    const context = fleetContextFor(config, { docker, fleet: agentFleetRows(now), log, now });
    const server = serveAgentCommands(
      nc,
      joined.name,
      agentCommandHandlers(context, { name: joined.name }),
      { log: log.child("commands") },
    );
    // After the subscription: a master that hears the first beat can already command it.
    const beat = startAgentHeartbeat(nc, joined.name, { version: VERSION });
    log.info("serving the master's commands", { host: joined.name, nats: joined.natsUrl });
    return {
      banner: [`Swarm agent ${joined.name} serving the master's commands over ${joined.natsUrl}`],
      extras: () => ({ host: joined.name, nats_url: joined.natsUrl }),
      close: async () => {
        beat.close();
        await server.close();
        await nc.close();
        await docker.close();
      },
    };
  },
});
