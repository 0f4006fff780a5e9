/** An error the API answered with: status, code, message and the field at fault. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/**
 * Same-origin JSON call to the API with the session cookie and the header
 * the API's CSRF check wants; throws {@linkcode ApiError} on 4xx/5xx.
 *
 * @example
 * ```ts
 * const { items } = await apiFetch<{ items: unknown[] }>("/api/v1/workers");
 * ```
 */
export async function apiFetch<T>(
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { "X-Requested-With": "fetch" };
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method: init.method ?? "GET",
    headers,
    credentials: "same-origin",
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  const body = text ? safeJson(text) : null;
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string; field?: string } } | null)
      ?.error;
    throw new ApiError(
      res.status,
      err?.code ?? "http_error",
      err?.message ?? `Request failed with status ${res.status}`,
      err?.field,
    );
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
