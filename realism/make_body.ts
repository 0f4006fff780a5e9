import { logLines } from "./_log_lines.ts";
import { pickOne, randInt, randomAlnum } from "./_random.ts";
import { draftBody, noteBody, scriptBody, todoBody, type UserBodyContext } from "./_user_bodies.ts";
import type { ContentClass } from "./content_class.ts";
import type { HostFacts } from "./host_facts.ts";
import { loginFor } from "./login_for.ts";
import type { Persona } from "./persona.ts";
import { resolveTimeZone } from "./resolve_time_zone.ts";

/** What the body templates need to know about a decky. */
export interface BodyDecky {
  readonly name: string;
  /** Hostname shown in logs and scripts. @default name */
  readonly hostname?: string;
  readonly timezone?: string;
}

/** Options for {@linkcode makeBody} and {@linkcode nextIteration}. */
export interface MakeBodyOptions {
  persona: Persona;
  decky: BodyDecky;
  rand: () => number;
  /** The file's modification time (pass `plan.mtime`): log timestamps end here. */
  now: Date;
  /** Target path; picks flavours (".py" scripts, auth.log). @default "" */
  path?: string;
  /** The decky's real uids, running programs and peers: log lines then agree with them. */
  facts?: HostFacts;
}

/** @internal Builds the context shared by templates. */
export function bodyContext(options: MakeBodyOptions): UserBodyContext {
  return {
    persona: options.persona,
    rand: options.rand,
    host: options.decky.hostname ?? options.decky.name,
    login: loginFor(options.persona),
    nowMs: options.now.getTime(),
    timeZone: resolveTimeZone(options.persona, options.decky),
    hostTimeZone: resolveTimeZone({}, options.decky),
    path: options.path ?? "",
    ...(options.facts ? { facts: options.facts } : {}),
  };
}

/**
 * Writes a fresh body for a user or system class from persona-conditioned
 * templates: checkbox TODOs, scripts with a shebang, syslog-shaped cron and
 * daemon lines stamped up to `now` with the decky's hostname.
 *
 * @param contentClass note, todo, draft, script, log_cron, log_daemon or cache_tmp
 * @param options persona, decky, randomness and the file's mtime
 * @returns the file body (text, ending in a newline)
 * @throws {TypeError} for email and canary classes (their bodies come from elsewhere)
 * @example
 * ```ts
 * import type { Persona } from "./persona.ts";
 * import { makeBody } from "./make_body.ts";
 * import { mulberry32 } from "./mulberry32.ts";
 * declare const persona: Persona;
 * const rand = mulberry32(7);
 * const body = makeBody("todo", { persona, decky: { name: "ws-04" }, rand, now: new Date() });
 * ```
 */
export function makeBody(contentClass: ContentClass, options: MakeBodyOptions): string {
  const ctx = bodyContext(options);
  switch (contentClass) {
    case "note":
      return noteBody(ctx);
    case "todo":
      return todoBody(ctx);
    case "draft":
      return draftBody(ctx);
    case "script":
      return scriptBody(ctx);
    case "log_cron":
    case "log_daemon": {
      const untilMs = ctx.nowMs;
      const hours = randInt(ctx.rand, 2, 30);
      return `${
        logLines(contentClass === "log_cron" ? "cron" : "daemon", {
          ...ctx,
          timeZone: ctx.hostTimeZone,
        }, {
          afterMs: untilMs - hours * 3_600_000,
          untilMs,
          count: randInt(ctx.rand, 8, 40),
        }).join("\n")
      }\n`;
    }
    case "cache_tmp":
      return cacheBody(ctx);
    default:
      throw new TypeError(
        `Cannot make body: class has no template (email and canary bodies come from their own builders), got "${contentClass}"`,
      );
  }
}

/** Package names of each cache index, by the tool that keeps it. */
export const CACHE_INDEXES: readonly (readonly [string, readonly string[]])[] = [
  ["pip", ["requests", "urllib3", "six", "certifi", "idna", "charset-normalizer", "pyyaml"]],
  ["npm", ["lodash", "express", "debug", "chalk", "commander", "semver", "minimist"]],
  ["apt", ["curl", "jq", "openssl", "ca-certificates", "libssl3", "tzdata", "vim-tiny"]],
];

function cacheBody(ctx: UserBodyContext): string {
  const { rand, login } = ctx;
  return pickOne(rand, [
    () =>
      `${
        JSON.stringify({
          session: randomAlnum(rand, 24),
          user: login,
          expires: new Date(ctx.nowMs + randInt(rand, 1, 48) * 3_600_000).toISOString(),
        })
      }\n`,
    () =>
      Array.from(
        { length: randInt(rand, 3, 9) },
        () => `${randomAlnum(rand, 12).toLowerCase()}=${randomAlnum(rand, randInt(rand, 8, 32))}`,
      ).join(
        "\n",
      ) + "\n",
    () => {
      // Each tool lists only its own ecosystem's packages.
      const [tool, names] = pickOne(rand, CACHE_INDEXES);
      const count = randInt(rand, 2, Math.min(8, names.length));
      const pool = [...names];
      const listed = Array.from(
        { length: count },
        () => pool.splice(Math.floor(rand() * pool.length), 1)[0],
      );
      return `# ${tool} cache index\n${
        listed.map((name) =>
          `${name} ${randInt(rand, 0, 9)}.${randInt(rand, 0, 30)}.${randInt(rand, 0, 12)}`
        ).join("\n")
      }\n`;
    },
  ])();
}
