import { webhookSignature } from "../../../core/alerts/channels/webhook_signature.ts";

/** What a test receiver got: every request, and each alert id processed once. */
export interface WebhookReceiver extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  /** Alert ids of every request, repeats included, in arrival order. */
  readonly requests: string[];
  /** Alerts processed (the first request of each id), by id. */
  readonly processed: Map<string, Record<string, unknown>>;
  /** Requests whose signature did not verify. */
  readonly badSignatures: number;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1 that verifies the HMAC signature, drops
 * repeats by `X-Decnet-Alert-Id` as a real receiver would, and answers with
 * `status(n)` for its n-th request (0-based).
 */
export function startWebhookReceiver(
  options: {
    secret: string;
    port?: number;
    status?: (n: number) => number;
    /** The receiver's store of processed ids, kept across its restarts as a real one's would be. */
    processed?: Map<string, Record<string, unknown>>;
  },
): WebhookReceiver {
  const requests: string[] = [];
  const processed = options.processed ?? new Map<string, Record<string, unknown>>();
  let badSignatures = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    onListen: () => {},
  }, async (request) => {
    const body = await request.text();
    const id = request.headers.get("x-decnet-alert-id") ?? "";
    const timestamp = Number(request.headers.get("x-decnet-timestamp"));
    const expected = await webhookSignature(options.secret, timestamp, body);
    if (request.headers.get("x-decnet-signature") !== expected) {
      badSignatures++;
      return new Response("bad signature", { status: 401 });
    }
    const status = options.status?.(requests.length) ?? 200;
    requests.push(id);
    if (status === 200 && !processed.has(id)) processed.set(id, JSON.parse(body));
    return new Response(null, { status });
  });
  const port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    processed,
    get badSignatures() {
      return badSignatures;
    },
    close: () => server.shutdown(),
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
