/**
 * Resolves on the first SIGINT or SIGTERM (or when `signal` aborts), then
 * stops listening for them so a second Ctrl-C ends the process the usual way.
 */
export function waitForShutdown(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    const handlers = signals.map((name) => {
      const handler = () => finish(name);
      Deno.addSignalListener(name, handler);
      return [name, handler] as const;
    });
    const onAbort = () => finish("abort");
    signal?.addEventListener("abort", onAbort, { once: true });
    function finish(reason: string) {
      for (const [name, handler] of handlers) Deno.removeSignalListener(name, handler);
      signal?.removeEventListener("abort", onAbort);
      resolve(reason);
    }
  });
}
