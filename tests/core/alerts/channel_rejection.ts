import assert from "node:assert/strict";
import { ChannelError } from "../../../core/alerts/channel_error.ts";

/**
 * The ChannelError `promise` rejects with; fails the test when it resolves
 * or rejects with anything else, so a channel's refusal is checked by kind.
 *
 * @example
 * ```ts
 * import { ChannelError } from "../../../core/alerts/channel_error.ts";
 * import { channelRejection } from "./channel_rejection.ts";
 * const e = await channelRejection(Promise.reject(new ChannelError("refused", { retryable: false })));
 * ```
 */
export async function channelRejection(promise: Promise<void>): Promise<ChannelError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ChannelError, String(e));
    return e;
  }
  assert.fail("expected a ChannelError");
}
