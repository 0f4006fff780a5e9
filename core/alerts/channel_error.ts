/**
 * A channel could not deliver an alert. `retryable` says whether the worker
 * should try the same alert again later (timeouts, refused connections, 5xx,
 * 429) or give up on it (4xx, redirects, bad credentials, a rejected
 * recipient); `reason` is a short text for the channel's status line, never
 * holding a secret.
 *
 * @example
 * ```ts
 * import { ChannelError } from "./channel_error.ts";
 * throw new ChannelError("webhook answered 503", { retryable: true });
 * ```
 */
export class ChannelError extends Error {
  readonly retryable: boolean;

  constructor(reason: string, options: { retryable: boolean; cause?: unknown }) {
    super(reason, { cause: options.cause });
    this.name = "ChannelError";
    this.retryable = options.retryable;
  }

  /** The same text as `message`: why the delivery failed. */
  get reason(): string {
    return this.message;
  }
}
