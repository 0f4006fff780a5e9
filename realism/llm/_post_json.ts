// Folder-private: POST JSON with a hard timeout, turning every failure into a message.

export type PostJsonOutcome =
  | { ok: true; json: unknown; ms: number }
  | { ok: false; error: string; ms: number };

export async function postJson(
  url: string,
  body: unknown,
  options: { timeoutMs: number; signal?: AbortSignal; headers?: Record<string, string> },
): Promise<PostJsonOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  if (options.signal?.aborted) return { ok: false, error: "aborted", ms: 0 };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("timeout", "TimeoutError"));
  }, options.timeoutMs);
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await res.text();
    if (!res.ok) {
      return { ok: false, error: `HTTP ${res.status}: ${text.slice(0, 200)}`, ms: elapsed() };
    }
    try {
      return { ok: true, json: JSON.parse(text), ms: elapsed() };
    } catch {
      return {
        ok: false,
        error: `malformed JSON from ${url}: ${text.slice(0, 80)}`,
        ms: elapsed(),
      };
    }
  } catch (e) {
    if (timedOut) {
      return { ok: false, error: `timeout after ${options.timeoutMs} ms`, ms: elapsed() };
    }
    if (options.signal?.aborted) return { ok: false, error: "aborted", ms: elapsed() };
    return { ok: false, error: e instanceof Error ? e.message : String(e), ms: elapsed() };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
