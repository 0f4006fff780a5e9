/**
 * A decnet-shaped entry for supervisor tests: the same module is the test's
 * Worker entry and branches on the worker name, like main.ts.
 */
import {
  defineWorker,
  isWorkerThread,
  runWorkerThread,
  WorkerRegistry,
} from "../../../core/workers/mod.ts";
import type { WorkerDefinition } from "../../../core/workers/mod.ts";

/** Everything the supervisor posted to this thread, as JSON (the reporter worker shows it). */
let posted = "";

const nothing = () => ({
  listen: [],
  connect: [],
  database: false,
  docker: false,
  read: [],
  write: [],
});

const steady: WorkerDefinition = {
  name: "steady",
  configKeys: [],
  description: "heartbeats and stops cleanly",
  critical: true,
  needs: nothing,
  start: () =>
    Promise.resolve({
      extras: () => ({ ok: true }),
      banner: ["steady up"],
      close: () => Promise.resolve(),
    }),
};

const crashy: WorkerDefinition = {
  name: "crashy",
  configKeys: [],
  description: "throws an uncaught error soon after starting",
  critical: false,
  needs: nothing,
  start: () => {
    setTimeout(() => {
      throw new Error("boom");
    }, 20);
    return Promise.resolve({ close: () => Promise.resolve() });
  },
};

const snoop: WorkerDefinition = {
  name: "snoop",
  configKeys: [],
  description: "reports what its permissions let it do",
  critical: false,
  needs: nothing,
  start: async () => {
    const denied: string[] = [];
    const attempt = async (label: string, fn: () => unknown) => {
      try {
        await fn();
      } catch (e) {
        if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
          denied.push(label);
        }
      }
    };
    await attempt("env", () => Deno.env.get("HOME"));
    await attempt("read", () => Deno.readTextFile("/etc/hostname"));
    await attempt("run", () => new Deno.Command("true").output());
    await attempt("net", () => Deno.listen({ port: 0 }).close());
    return { extras: () => ({ denied: denied.join(",") }), close: () => Promise.resolve() };
  },
};

const broken: WorkerDefinition = {
  name: "broken",
  configKeys: [],
  description: "fails to start",
  critical: true,
  needs: nothing,
  start: () => Promise.reject(new Error("port in use")),
};

const reporter = defineWorker({
  name: "reporter",
  description: "reports every byte the supervisor posted to its thread",
  critical: false,
  configKeys: ["canaryDnsZone", "jwtSecret"],
  needs: nothing,
  start: () => Promise.resolve({ extras: () => ({ posted }), close: () => Promise.resolve() }),
});

const relapse = defineWorker({
  name: "relapse",
  description: "runs once, crashes, then fails at every start (as when its database went away)",
  critical: false,
  configKeys: ["home"],
  needs: (config) => ({ ...nothing(), read: [config.home], write: [config.home] }),
  start: async (config) => {
    const marker = `${config.home}/relapse-ran`;
    const ranBefore = await Deno.stat(marker).then(() => true, () => false);
    if (ranBefore) throw new Error("database down");
    await Deno.writeTextFile(marker, "");
    setTimeout(() => {
      throw new Error("first run ended");
    }, 20);
    return { close: () => Promise.resolve() };
  },
});

export function testRegistry(): WorkerRegistry {
  return new WorkerRegistry().register(steady).register(crashy).register(snoop).register(broken)
    .register(reporter).register(relapse);
}

if (isWorkerThread()) {
  globalThis.addEventListener("message", (event) => {
    const data = (event as MessageEvent).data as { type?: string };
    if (data.type === "start") posted = JSON.stringify(data);
  });
  runWorkerThread(testRegistry());
}
