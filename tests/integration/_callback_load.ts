/** What a callback load saw. */
export interface CallbackLoad {
  /** 200 answers whose whole body arrived: triggers the listener acknowledged. */
  acknowledged: number;
  /** Requests that got no complete answer (refused, reset, killed mid-way). */
  failed: number;
  /** Requests sent. */
  sent: number;
}

/** Options for {@linkcode sendCallbacks}. */
export interface SendCallbacksOptions {
  total: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Called after each acknowledged callback with the count so far. */
  onAcknowledged?: (acknowledged: number) => void;
}

/**
 * Sends `total` GETs to `url` from `concurrency` loops (like curl in
 * parallel), counting complete 200 answers. Never throws: a dead server
 * shows up as failures.
 */
export async function sendCallbacks(
  url: string,
  options: SendCallbacksOptions,
): Promise<CallbackLoad> {
  const load: CallbackLoad = { acknowledged: 0, failed: 0, sent: 0 };
  const loop = async () => {
    while (load.sent < options.total) {
      load.sent++;
      try {
        const res = await fetch(url, { headers: { "user-agent": "curl/8.5.0" } });
        const body = await res.arrayBuffer();
        if (res.status === 200 && body.byteLength === 43) {
          load.acknowledged++;
          options.onAcknowledged?.(load.acknowledged);
        } else load.failed++;
      } catch {
        load.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return load;
}
