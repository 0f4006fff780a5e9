import { inNetns } from "./in_netns.ts";
import { decnetFromSource } from "./decnet_from_source.ts";

/** A decnet process started for a test; `close()` sends SIGTERM and waits. */
export interface DecnetProcess extends AsyncDisposable {
  /** Every stdout line so far. */
  readonly lines: string[];
  /** The process id (its workers are threads of it: /proc/<pid>/status covers them all). */
  readonly pid: number;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  readonly status: Promise<Deno.CommandStatus>;
  /** Sends `signal` (e.g. SIGKILL for a crash) and waits for the exit. */
  kill(signal: Deno.Signal): Promise<Deno.CommandStatus>;
  close(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `decnet ARGS` from source ({@linkcode decnetFromSource}), or
 * `command` when given (e.g. a built bundle), with a clean DECNET_*
 * environment, inside network namespace `netns` when given.
 */
export function spawnDecnet(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; command?: string[]; netns?: string },
): DecnetProcess {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!k.startsWith("DECNET_")) env[k] = v;
  }
  const argv = [
    ...inNetns(options.netns),
    ...options.command ?? decnetFromSource(),
  ];
  const child = new Deno.Command(argv[0], {
    args: [...argv.slice(1), ...args],
    cwd: options.cwd,
    env: { ...env, ...options.env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const reading = (async () => {
    let buffered = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        for (const w of [...waiters]) {
          const m = line.match(w.pattern);
          if (m) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      }
    }
  })();
  const status = child.status.then(async (s) => {
    await reading;
    return s;
  });
  let closed: Promise<Deno.CommandStatus> | undefined;
  const close = () =>
    closed ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
      return await status;
    })();
  return {
    lines,
    pid: child.pid,
    status,
    async kill(signal) {
      try {
        child.kill(signal);
      } catch {
        // already exited
      }
      return await status;
    },
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = lines.map((l) => l.match(pattern)).find((m) => m);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `No line matching ${pattern} in ${timeoutMs} ms; got:\n${lines.join("\n")}`,
              ),
            ),
          timeoutMs,
        );
        const done = (m: RegExpMatchArray) => {
          clearTimeout(timer);
          resolve(m);
        };
        waiters.push({ pattern, resolve: done });
        status.then(() => {
          clearTimeout(timer);
          reject(new Error(`Process exited before printing ${pattern}; got:\n${lines.join("\n")}`));
        });
      });
    },
    close,
    [Symbol.asyncDispose]: async () => {
      await close();
    },
  };
}
