/**
 * The body of a probe Worker (see worker_permission_table.ts): it runs under
 * one worker's exact permissions, tries every act it is sent, and posts back
 * which ones the sandbox allowed. Imports nothing of ours, so it needs read
 * access to itself only, as a real worker needs its own module.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** One act to try. */
export type ProbeAct =
  | { kind: "read"; path: string }
  | { kind: "write"; path: string }
  | { kind: "mayWrite"; path: string }
  | { kind: "sqlite"; path: string }
  | { kind: "connect"; hostname: string; port: number }
  | { kind: "connectUnix"; path: string }
  | { kind: "listen"; hostname: string }
  | { kind: "run" }
  | { kind: "ffi" }
  | { kind: "env"; name: string };

/** Whether the sandbox let each act through (an act that fails for another reason counts as allowed). */
export type ProbeResult = Record<string, boolean>;

async function attempt(act: ProbeAct): Promise<void> {
  switch (act.kind) {
    case "read":
      await Deno.readFile(act.path);
      return;
    case "write":
      await Deno.writeTextFile(act.path, "probe");
      await Deno.remove(act.path);
      return;
    case "mayWrite": {
      // A declared path: ask instead of writing, so the probe changes nothing there.
      const { state } = await Deno.permissions.query({ name: "write", path: act.path });
      if (state !== "granted") throw new Deno.errors.NotCapable(`write ${act.path}`);
      return;
    }
    case "sqlite": {
      const db = new DatabaseSync(act.path, { readOnly: true });
      try {
        db.prepare("SELECT password_hash FROM users").all();
      } finally {
        db.close();
      }
      return;
    }
    case "connect":
      (await Deno.connect({ hostname: act.hostname, port: act.port })).close();
      return;
    case "connectUnix":
      (await Deno.connect({ transport: "unix", path: act.path })).close();
      return;
    case "listen":
      Deno.listen({ hostname: act.hostname, port: 0 }).close();
      return;
    case "run":
      await new Deno.Command("true").output();
      return;
    case "ffi":
      Deno.dlopen("libc.so.6", {}).close();
      return;
    case "env":
      if (Deno.env.get(act.name) === undefined) {
        // Readable but gone: `decnet up` removes DECNET_* before any worker starts.
        throw new Deno.errors.NotCapable(`env ${act.name} is not set`);
      }
      return;
  }
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Record<string, ProbeAct>>) => void) | null;
  postMessage(message: ProbeResult): void;
};

scope.onmessage = async (event) => {
  const result: ProbeResult = {};
  for (const [label, act] of Object.entries(event.data)) {
    try {
      await attempt(act);
      result[label] = true;
    } catch (e) {
      result[label] = !(e instanceof Deno.errors.NotCapable);
    }
  }
  scope.postMessage(result);
};
