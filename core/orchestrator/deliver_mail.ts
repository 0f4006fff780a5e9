import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";

/** Options for {@linkcode deliverMail}. */
export interface DeliverMailOptions {
  /** The recipient's login on the decky. */
  login: string;
  /** Envelope sender address. */
  sender: string;
  /** The whole message, LF line ends. */
  bytes: Uint8Array;
  /** @default 20000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** How the delivery went. */
export interface DeliverMailResult {
  ok: boolean;
  /** The decky has no dovecot LDA (nothing was written). */
  noLda: boolean;
  exitCode: number;
  stderr: string;
}

// $1 login, $2 envelope sender. Dovecot's LDA writes the mailbox the IMAP
// and POP3 servers read, with their owner, mode, format and index.
const DELIVER_SCRIPT = `for lda in /usr/lib/dovecot/dovecot-lda /usr/lib/dovecot/deliver; do
  [ -x "$lda" ] && exec "$lda" -d "$1" -f "$2"
done
exit 127
`;

/**
 * Delivers a message into a decky user's mailbox with the decky's own
 * dovecot LDA (`dovecot-lda -d <login> -f <sender>`, message on stdin).
 *
 * @param docker the Docker client
 * @param container the container where dovecot runs
 * @param options recipient, sender and message bytes
 * @returns whether it was delivered; `noLda` when the decky has no LDA
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { deliverMail } from "./deliver_mail.ts";
 * declare const docker: DockerClient;
 * declare const bytes: Uint8Array; // the message, delivery headers first
 * await deliverMail(docker, "ws-01-ssh", { login: "ana", sender: "tom@corp.example", bytes });
 * ```
 */
export async function deliverMail(
  docker: DockerClient,
  container: string,
  options: DeliverMailOptions,
): Promise<DeliverMailResult> {
  const r = await docker.exec(
    container,
    shellScript(DELIVER_SCRIPT, [options.login, options.sender]),
    {
      stdin: options.bytes,
      user: "0",
      timeoutMs: options.timeoutMs ?? 20_000,
      signal: options.signal,
    },
  );
  return {
    ok: r.exitCode === 0,
    noLda: r.exitCode === 127,
    exitCode: r.exitCode,
    stderr: new TextDecoder().decode(r.stderr).trim().slice(0, 2000),
  };
}
