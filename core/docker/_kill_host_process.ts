// The Docker Engine API has no "kill exec" endpoint, and closing the attach
// connection leaves the process running (checked here with dockerd 20.10). When
// the daemon is on this machine (unix socket), the exec's `Pid` from
// `GET /exec/{id}/json` is a host PID, so we SIGKILL it and its descendants.
// Before killing we check /proc/<pid>/cmdline still is the exec's argv, so a
// reused PID (or a daemon in another PID namespace) never gets an unrelated
// process killed. Needs read access to /proc and Deno's run permission (kill);
// a worker without them (least privilege) gets `false`: the timeout is still
// reported, with `killed: false`.

/** Kills the host process `pid` and its descendants if it runs `argv`; true when it is gone. */
export async function killHostProcess(pid: number, argv: readonly string[]): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  if (!canKill()) return false;
  const cmdline = await readText(`/proc/${pid}/cmdline`);
  if (cmdline === undefined) return true; // already gone
  if (cmdline !== argv.join("\0") + "\0") return false;
  const pids = [pid, ...await descendants(pid)];
  let ok = true;
  for (const target of pids) {
    try {
      Deno.kill(target, "SIGKILL");
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      ok = false;
    }
  }
  return ok;
}

async function descendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 10_000) {
    const parent = queue.shift()!;
    const tasks = await readDirNames(`/proc/${parent}/task`);
    for (const task of tasks) {
      const children = await readText(`/proc/${parent}/task/${task}/children`);
      for (const child of (children ?? "").split(" ").filter(Boolean).map(Number)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

async function readDirNames(path: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) names.push(entry.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names;
}

function canKill(): boolean {
  return Deno.permissions.querySync({ name: "run" }).state === "granted" &&
    Deno.permissions.querySync({ name: "read", path: "/proc" }).state === "granted";
}
