import { passwordProblem } from "../core/password_policy/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * A new password from `--password-file PATH` or standard input (first line,
 * trailing newline removed), never from argv where `ps` would show it.
 * Refused (exit 2, saying why) unless it is valid UTF-8 and meets the
 * password policy (length, not a common password).
 */
export async function readSecret(passwordFile: string | undefined): Promise<string> {
  let bytes: Uint8Array;
  const source = passwordFile !== undefined ? `--password-file ${passwordFile}` : "standard input";
  if (passwordFile !== undefined) {
    try {
      bytes = await Deno.readFile(passwordFile);
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
    bytes = await new Response(Deno.stdin.readable).bytes();
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new CliError(
      `Cannot read the password from ${source}: expected valid UTF-8 text`,
      EXIT_USAGE,
    );
  }
  const password = text.split(/\r?\n/)[0];
  const problem = passwordProblem(password);
  if (problem !== null) {
    throw new CliError(`Refused the password from ${source}: ${problem}`, EXIT_USAGE);
  }
  return password;
}
