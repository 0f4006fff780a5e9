import type { Alert } from "../alert.ts";

/** What replaces a captured password or hash when a channel does not include secrets. */
export const MASKED_SECRET = "[masked]";

/**
 * The alert as a channel may send it: captured passwords and hashes (the
 * credential's `secret` and `hashcat_line`) replaced by {@linkcode MASKED_SECRET}
 * unless the channel includes secrets. The alert itself is not changed.
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
  if (includeSecrets || alert.credential === undefined) return alert;
  const credential = { ...alert.credential, secret: MASKED_SECRET };
  if (credential.hashcat_line !== undefined) credential.hashcat_line = MASKED_SECRET;
  return { ...alert, credential };
}
