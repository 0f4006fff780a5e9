import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * A password from `--password-file PATH` or standard input (first line,
 * trailing newline removed), never from argv where `ps` would show it.
 */
export async function readSecret(passwordFile: string | undefined): Promise<string> {
  let text: string;
  if (passwordFile !== undefined) {
    try {
      text = await Deno.readTextFile(passwordFile);
    } catch (e) {
      throw new CliError(
        `Cannot read --password-file ${passwordFile}: ${(e as Error).message}`,
        EXIT_USAGE,
      );
    }
  } else {
    if (Deno.stdin.isTerminal()) {
      throw new CliError(
        "Give the password on standard input (e.g. a pipe) or with --password-file",
        EXIT_USAGE,
      );
    }
    text = await new Response(Deno.stdin.readable).text();
  }
  const password = text.split(/\r?\n/)[0];
  if (password.length < 12) {
    throw new CliError("Password too short: expected at least 12 characters", EXIT_USAGE);
  }
  if (password.length > 1024) {
    throw new CliError("Password too long: expected at most 1024 characters", EXIT_USAGE);
  }
  return password;
}
