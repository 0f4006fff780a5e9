import type { RunningDecky } from "../db/mod.ts";
import { containerFor } from "./_tick_context.ts";

/** Service whose container receives a decky's files, in order of preference. */
const FILE_SERVICES = ["ssh", "smb", "ftp", "http", "imap", "pop3"];

/**
 * The container a decky's files live in (and its survey is taken of): its
 * ssh container when it has one, else the first of smb, ftp, http, imap,
 * pop3, else its first service; null without services.
 *
 * @example
 * ```ts
 * import type { RunningDecky } from "../db/mod.ts";
 * import { fileContainerFor } from "./file_container_for.ts";
 * declare const decky: RunningDecky; // ws-01 with services ["ssh"]
 * fileContainerFor(decky); // "ws-01-ssh"
 * ```
 */
export function fileContainerFor(decky: RunningDecky): string | null {
  const service = FILE_SERVICES.find((s) => decky.services.includes(s)) ?? decky.services[0];
  return service ? containerFor(decky, service) : null;
}
