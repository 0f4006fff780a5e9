import { z } from "zod";
import { SWARM_HOST_NAME_REGEXP } from "./swarm_host_name.ts";

/**
 * What a master may ask of an agent: the fleet (`deploy`, `teardown`), canary
 * bait (`plant`, `revoke`) and the orchestrator's work on the agent's deckies:
 * `survey` (read a decky before anything is written into it), `file` (write,
 * append to a log, a tree of files, a cron job, shell history), `mail` and
 * `traffic` (an SSH session between two of its deckies). A verb is the last
 * token of the command subject `decnet.cmd.<host>.<verb>`.
 */
export const SWARM_COMMAND_VERBS = [
  "deploy",
  "teardown",
  "plant",
  "revoke",
  "survey",
  "file",
  "mail",
  "traffic",
] as const;
export type SwarmCommandVerb = typeof SWARM_COMMAND_VERBS[number];

/** Largest fleet file a deploy command carries (NATS's default payload limit is 1 MiB). */
const MAX_FLEET_TEXT = 512 * 1024;
/** Largest base64 payload of one file, bait or message (fits NATS's default 1 MiB). */
const MAX_BASE64 = 900 * 1024;

const ID = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "expected 1-64 letters, digits, - or _");
const DECKY_NAME = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected a decky name");
const CONTAINER = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,95}$/, "expected a container name");
const BASE64 = z.base64().max(MAX_BASE64);
const TIME = z.iso.datetime({ offset: true });
const LOGIN = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/, "expected a login");
const ABSOLUTE = z.string().startsWith("/", "expected an absolute path").max(1024);
/** A line for a shell or a crontab: no line break smuggles a second one in. */
const LINE = z.string().min(1).max(1024).regex(/^[^\n\r\0]*$/, "expected one line");
const MODE = z.int().min(0).max(0o7777);

/** A decky of the agent's, and the container when not the one plantContainer picks. */
const TARGET = z.strictObject({ name: DECKY_NAME, container: CONTAINER.optional() });

const TOKEN = z.strictObject({
  callback_token: z.string().min(1).max(64),
  http_base: z.string().max(512),
  dns_zone: z.string().max(253),
  persona: z.string().max(4096).nullable(),
  created_at: TIME,
  placement_path: z.string().min(1).max(1024),
});

const ARGS = {
  deploy: z.strictObject({
    fleet: z.string().min(1).max(MAX_FLEET_TEXT),
    dry_run: z.boolean().optional(),
  }),
  teardown: z.strictObject({
    all: z.boolean().optional(),
    deckies: z.array(DECKY_NAME).max(1024).optional(),
  }).refine((a) => a.all === true || (a.deckies?.length ?? 0) > 0, {
    message: "expected all = true or a non-empty deckies list",
    path: ["deckies"],
  }),
  plant: z.strictObject({
    decky: TARGET,
    token: TOKEN,
    artifact: z.strictObject({
      bytes: BASE64,
      mode: MODE,
      modified_at: TIME,
      companions: z.strictObject({
        anchor: z.string().min(1).max(256),
        files: z.array(z.strictObject({
          path: z.string().min(1).max(1024),
          bytes: BASE64,
          mode: MODE,
          modified_at: TIME,
        })).max(256),
      }).optional(),
    }),
  }),
  revoke: z.strictObject({ decky: TARGET, token: TOKEN }),
  survey: z.strictObject({ decky: DECKY_NAME, container: CONTAINER }),
  /** One file operation of the orchestrator's, by `op` (see agentCommandHandlers). */
  file: z.discriminatedUnion("op", [
    z.strictObject({
      op: z.literal("write"),
      decky: DECKY_NAME,
      container: CONTAINER,
      path: ABSOLUTE,
      bytes: BASE64,
      mode: MODE.optional(),
      mtime: TIME,
      owner: z.string().max(32).nullable().optional(),
    }),
    z.strictObject({
      op: z.literal("append"),
      decky: DECKY_NAME,
      container: CONTAINER,
      path: ABSOLUTE,
      bytes: BASE64,
    }),
    z.strictObject({
      op: z.literal("tree"),
      decky: DECKY_NAME,
      container: CONTAINER,
      root: ABSOLUTE,
      login: LOGIN,
      files: z.array(z.strictObject({
        path: z.string().min(1).max(1024),
        bytes: BASE64,
        mode: MODE,
        mtime: TIME,
      })).max(256),
    }),
    z.strictObject({
      op: z.literal("cron"),
      decky: DECKY_NAME,
      container: CONTAINER,
      login: LOGIN,
      rel_path: z.string().min(1).max(1024),
      script: z.string().max(64 * 1024),
      line: LINE,
    }),
    z.strictObject({
      op: z.literal("history"),
      decky: DECKY_NAME,
      container: CONTAINER,
      login: LOGIN,
      lines: z.array(LINE).max(64),
    }),
  ]),
  mail: z.strictObject({
    decky: DECKY_NAME,
    container: CONTAINER,
    login: z.string().min(1).max(32),
    sender: z.string().min(3).max(320),
    bytes: BASE64,
  }),
  traffic: z.strictObject({
    src: z.strictObject({ decky: DECKY_NAME, container: CONTAINER }),
    dst: z.strictObject({ decky: DECKY_NAME, container: CONTAINER }),
    login: LOGIN,
    dst_ip: z.ipv4(),
    commands: z.array(LINE).min(1).max(16),
    /** The key an earlier session authorised there (the master remembers it). */
    authorized_key: z.string().max(1024).nullable(),
  }),
} as const;

/** The arguments of each command, as they travel (snake_case JSON). */
export type SwarmCommandArgs = { [V in SwarmCommandVerb]: z.infer<typeof ARGS[V]> };

/** A command as it travels: an id the reply repeats, the host it is for, and its arguments. */
export interface SwarmCommand<V extends SwarmCommandVerb = SwarmCommandVerb> {
  id: string;
  host: string;
  args: SwarmCommandArgs[V];
}

/** An agent's answer to a command. */
export type SwarmCommandReply =
  | { id: string; ok: true; result: unknown }
  | { id: string; ok: false; error: string };

const ENVELOPE = z.strictObject({
  id: ID,
  host: z.string().regex(SWARM_HOST_NAME_REGEXP, "expected a swarm host name"),
  args: z.unknown(),
});

const REPLY = z.union([
  z.strictObject({ id: ID, ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ id: ID, ok: z.literal(false), error: z.string().max(4096) }),
]);

/**
 * Reads a command for `verb` from its wire form: every field is checked, so
 * a bad one is refused naming it (`args.token.created_at: …`).
 *
 * @throws {TypeError} naming the verb and the first bad field
 * @example
 * ```ts
 * import { parseSwarmCommand } from "./swarm_command.ts";
 * parseSwarmCommand("teardown", { id: "c1", host: "dmz-1", args: { all: true } }).args.all; // true
 * ```
 */
export function parseSwarmCommand<V extends SwarmCommandVerb>(
  verb: V,
  value: unknown,
): SwarmCommand<V> {
  const envelope = ENVELOPE.safeParse(value);
  if (!envelope.success) throw fieldError(`Bad ${verb} command`, envelope.error);
  const args = ARGS[verb].safeParse(envelope.data.args);
  if (!args.success) throw fieldError(`Bad ${verb} command`, args.error, "args");
  return { id: envelope.data.id, host: envelope.data.host, args: args.data as SwarmCommandArgs[V] };
}

/**
 * Reads an agent's reply.
 *
 * @throws {TypeError} naming the first bad field
 * @example
 * ```ts
 * import { parseSwarmCommandReply } from "./swarm_command.ts";
 * parseSwarmCommandReply({ id: "c1", ok: false, error: "Cannot deploy" }).ok; // false
 * ```
 */
export function parseSwarmCommandReply(value: unknown): SwarmCommandReply {
  const reply = REPLY.safeParse(value);
  if (!reply.success) throw fieldError("Bad command reply", reply.error);
  return reply.data as SwarmCommandReply;
}

/**
 * Whether a subject token names a command verb.
 *
 * @example
 * ```ts
 * import { isSwarmCommandVerb } from "./swarm_command.ts";
 * isSwarmCommandVerb("deploy"); // true
 * ```
 */
export function isSwarmCommandVerb(verb: string): verb is SwarmCommandVerb {
  return (SWARM_COMMAND_VERBS as readonly string[]).includes(verb);
}

function fieldError(what: string, error: z.ZodError, prefix?: string): TypeError {
  const issue = error.issues[0];
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join(".") || "message";
  return new TypeError(`${what}: ${path}: ${issue.message}`);
}
