import type { Alert } from "../alert.ts";

/** What replaces a captured password or hash when a channel does not include secrets. */
export const MASKED_SECRET = "[masked]";

/** Keys of a forwarded record whose values are captured secret material. */
const SECRET_KEYS = new Set(["secret", "hashcat_line", "password"]);

/**
 * The alert as a channel may send it: captured passwords and hashes (the
 * credential's `secret` and `hashcat_line`, and any `secret`,
 * `hashcat_line` or `password` inside a forwarded `record`) replaced by
 * {@linkcode MASKED_SECRET} unless the channel includes secrets. The alert
 * itself is not changed.
 *
 * @param alert as the worker built it
 * @param includeSecrets the channel's `include_secrets`
 * @returns `alert` itself when there is nothing to mask, else a masked copy
 * @example
 * ```ts
 * import { maskAlertSecrets } from "./mask_alert_secrets.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * maskAlertSecrets(alert, false).credential?.secret; // "[masked]"
 * ```
 */
export function maskAlertSecrets(alert: Alert, includeSecrets: boolean): Alert {
  if (includeSecrets || (alert.credential === undefined && alert.record === undefined)) {
    return alert;
  }
  const masked = { ...alert };
  if (alert.credential !== undefined) {
    const credential = { ...alert.credential, secret: MASKED_SECRET };
    if (credential.hashcat_line !== undefined) credential.hashcat_line = MASKED_SECRET;
    masked.credential = credential;
  }
  if (alert.record !== undefined) masked.record = maskRecord(alert.record);
  return masked;
}

function maskRecord(record: { [key: string]: unknown }): { [key: string]: unknown } {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      SECRET_KEYS.has(key) && value !== null && value !== undefined
        ? MASKED_SECRET
        : maskValue(value),
    ]),
  );
}

function maskValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskValue);
  if (value !== null && typeof value === "object") {
    return maskRecord(value as { [key: string]: unknown });
  }
  return value;
}
