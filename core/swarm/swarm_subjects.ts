/** Root of every subject an agent publishes on: `decnet.agent.<name>.…`. */
export const AGENT_SUBJECT_ROOT = "decnet.agent";
/** Root of every command the master sends: `decnet.cmd.<name>.…`. */
export const COMMAND_SUBJECT_ROOT = "decnet.cmd";
/** Root of reply inboxes; each agent has its own below it. */
export const INBOX_ROOT = "_INBOX";

/** The NATS subjects of one agent, as its user JWT allows them. */
export interface AgentSubjects {
  /** Everything the agent may publish under (`decnet.agent.<name>.>`). */
  publish: string;
  /** The agent's heartbeat subject. */
  heartbeat: string;
  /** Prefix of its durable events (`decnet.agent.<name>.events`), kept by JetStream. */
  events: string;
  /** Where it asks the master for the active canary tokens (request-reply). */
  tokens: string;
  /** The commands it may receive (`decnet.cmd.<name>.>`). */
  commands: string;
  /** Its reply-inbox prefix: the agent connects with this `inboxPrefix`. */
  inboxPrefix: string;
  /** What it may subscribe to: its commands and its own inboxes. */
  subscribe: string[];
}

/**
 * The subjects of agent `name` (a name checked by `parseSwarmHostName`): an
 * agent publishes only below its own `decnet.agent.<name>` and hears only
 * `decnet.cmd.<name>` and its own inboxes, so one agent can neither read
 * another's commands nor speak for it or for the master.
 *
 * @example
 * ```ts
 * import { agentSubjects } from "./swarm_subjects.ts";
 * agentSubjects("dmz-1").commands; // "decnet.cmd.dmz-1.>"
 * ```
 */
export function agentSubjects(name: string): AgentSubjects {
  const inboxPrefix = `${INBOX_ROOT}.${name}`;
  const commands = `${COMMAND_SUBJECT_ROOT}.${name}.>`;
  return {
    publish: `${AGENT_SUBJECT_ROOT}.${name}.>`,
    heartbeat: `${AGENT_SUBJECT_ROOT}.${name}.heartbeat`,
    events: `${AGENT_SUBJECT_ROOT}.${name}.events`,
    tokens: `${AGENT_SUBJECT_ROOT}.${name}.tokens`,
    commands,
    inboxPrefix,
    subscribe: [commands, `${inboxPrefix}.>`],
  };
}

/** The JetStream stream holding every agent's events. */
export const AGENT_EVENT_STREAM = "DECNET_AGENT_EVENTS";
/** What the stream keeps: `decnet.agent.<any name>.events.<kind>`. */
export const AGENT_EVENT_SUBJECTS = `${AGENT_SUBJECT_ROOT}.*.events.>`;
/** The master's durable consumer of the stream. */
export const MASTER_EVENT_CONSUMER = "decnet-master";
/** Every agent's heartbeat, as the master listens. */
export const HEARTBEAT_SUBJECTS = `${AGENT_SUBJECT_ROOT}.*.heartbeat`;
/** Every agent's active tokens request, as the master answers them. */
export const TOKEN_REQUEST_SUBJECTS = `${AGENT_SUBJECT_ROOT}.*.tokens`;
