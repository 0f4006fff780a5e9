import type { Alert } from "../alert.ts";
import type { AlertChannel, FileChannelConfig } from "../alert_channel.ts";
import { ChannelError } from "../channel_error.ts";
import { maskAlertSecrets } from "./mask_alert_secrets.ts";

const encoder = new TextEncoder();

/**
 * Appends each alert (masked unless the channel includes secrets) as one
 * JSON line to a local file for a log shipper, and syncs it to disk before
 * `send` resolves. The file is opened per alert (created 0600 when missing),
 * so a shipper's rotation (rename, new file) is followed at once.
 *
 * @example
 * ```ts
 * import { FileChannel } from "./file_channel.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * await using channel = new FileChannel({ type: "file", path: "/var/log/decnet/alerts.jsonl", include_secrets: false });
 * await channel.send(alert);
 * ```
 */
export class FileChannel implements AlertChannel {
  readonly type = "file";
  readonly #config: FileChannelConfig;
  // One append at a time: lines from concurrent sends never interleave.
  #queue: Promise<void> = Promise.resolve();

  constructor(config: FileChannelConfig) {
    this.#config = Object.freeze({ ...config });
  }

  send(alert: Alert, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const line = encoder.encode(
      `${JSON.stringify(maskAlertSecrets(alert, this.#config.include_secrets))}\n`,
    );
    const appended = this.#queue.then(() => this.#append(line));
    this.#queue = appended.catch(() => {});
    return appended;
  }

  async close(): Promise<void> {
    await this.#queue;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #append(line: Uint8Array): Promise<void> {
    const path = this.#config.path;
    try {
      using file = await Deno.open(path, { append: true, create: true, mode: 0o600 });
      let offset = 0;
      while (offset < line.length) offset += await file.write(line.subarray(offset));
      await file.syncData();
    } catch (e) {
      // Retryable: a full disk, a missing folder or a permission is fixed without losing the alert.
      throw new ChannelError(`Cannot append to ${path}: ${(e as Error).message}`, {
        retryable: true,
        cause: e,
      });
    }
  }
}
