/**
 * A decnet-shaped entry for supervisor tests: the same module is the test's
 * Worker entry and branches on the worker name, like main.ts.
 */
import { isWorkerThread, runWorkerThread, WorkerRegistry } from "../../../core/workers/mod.ts";
import type { WorkerDefinition } from "../../../core/workers/mod.ts";

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
  description: "fails to start",
  critical: true,
  needs: nothing,
  start: () => Promise.reject(new Error("port in use")),
};

export function testRegistry(): WorkerRegistry {
  return new WorkerRegistry().register(steady).register(crashy).register(snoop).register(broken);
}

if (isWorkerThread()) runWorkerThread(testRegistry());
