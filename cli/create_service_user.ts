import { join, resolve } from "node:path";
import { CliError } from "./cli_error.ts";
import { etcEntry } from "./etc_entry.ts";

/** Options for {@linkcode createServiceUser}. */
export interface CreateServiceUserOptions {
  user: string;
  home: string;
  /** The sysusers.d entry install wrote (prefix not included). */
  sysusersConf: string;
  /** Program names; tests name a missing one to reach the fallback. */
  programs?: { sysusers: string; useradd: string };
}

const PROGRAMS = { sysusers: "systemd-sysusers", useradd: "useradd" };

/**
 * As root, creates the service user (and its group) in `prefix`'s /etc:
 * `systemd-sysusers --root=PREFIX` with the entry install wrote, else
 * `useradd --system`. Returns the line to print: what was done, or what the
 * operator still has to do.
 *
 * @throws {CliError} when the program fails, with its message
 * @example
 * ```ts
 * const line = await createServiceUser("/", {
 *   user: "decnet", home: "/var/lib/decnet", sysusersConf: "/etc/sysusers.d/decnet.conf",
 * });
 * ```
 */
export async function createServiceUser(
  prefix: string,
  options: CreateServiceUserOptions,
): Promise<string> {
  const { user, home } = options;
  const programs = options.programs ?? PROGRAMS;
  const conf = join(prefix, options.sysusersConf);
  if (Deno.uid() !== 0) {
    return `note     not root: create the service user ${user} with systemd-sysusers ${conf}`;
  }
  if (await run(programs.sysusers, [`--root=${prefix}`, conf])) {
    return `user     ${user} (${programs.sysusers})`;
  }
  if (await etcEntry(prefix, "passwd", user)) return `user     ${user} (exists)`;
  const root = resolve(prefix) === "/" ? [] : ["--prefix", prefix];
  const useradd = [
    "--system",
    "--user-group",
    "--home-dir",
    home,
    "--no-create-home",
    "--shell",
    "/usr/sbin/nologin",
    ...root,
    user,
  ];
  if (await run(programs.useradd, useradd)) return `user     ${user} (${programs.useradd})`;
  return `note     could not start ${programs.sysusers} or ${programs.useradd}: ` +
    `create the system user ${user} (home ${home}) yourself`;
}

/** Runs `program`; false when it is not installed or this process may not start it. */
async function run(program: string, args: string[]): Promise<boolean> {
  let out;
  try {
    out = await new Deno.Command(program, { args, stdout: "null", stderr: "piped" }).output();
  } catch (e) {
    // NotCapable: a compiled decnet carries no run permission; the note says what to do.
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotCapable) return false;
    throw e;
  }
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim();
    throw new CliError(`${program} ${args.join(" ")} failed (exit ${out.code}): ${why}`);
  }
  return true;
}
