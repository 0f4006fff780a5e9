/** Result of running the CLI in a child process. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/**
 * Runs `decnet ARGS` as a child process with a clean DECNET_* environment
 * rooted in `home` (so the user's own settings never leak in).
 */
export async function runDecnet(
  args: string[],
  options: { home: string; env?: Record<string, string>; stdin?: string },
): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!k.startsWith("DECNET_")) env[k] = v;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", "--config", CONFIG, MAIN, ...args],
    cwd: options.home,
    env: { ...env, DECNET_HOME: options.home, ...options.env },
    clearEnv: true,
    stdin: options.stdin !== undefined ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}
