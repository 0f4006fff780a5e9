import type { AlertChannelRecord, AlertsRepository } from "../core/db/mod.ts";
import { CliError } from "./cli_error.ts";

/**
 * The alert channel a CLI argument names (its name or id).
 *
 * @throws {CliError} when there is none
 */
export async function findAlertChannel(
  alerts: AlertsRepository,
  ref: string,
): Promise<AlertChannelRecord> {
  const found = (await alerts.listChannels()).find((c) => c.name === ref || String(c.id) === ref);
  if (!found) throw new CliError(`No such alert channel: ${ref}`);
  return found;
}
