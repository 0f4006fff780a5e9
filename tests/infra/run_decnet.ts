/** What one `decnet` run printed and returned. */
export interface DecnetRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main.ts` with these arguments in a child Deno (as an operator would run decnet). */
export async function runDecnet(
  args: string[],
  env: Record<string, string> = {},
): Promise<DecnetRun> {
  const main = new URL("../../main.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}
