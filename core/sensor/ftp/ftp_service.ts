import { setTimeout as sleep } from "node:timers/promises";
import { LineTooLongError } from "../conn_reader.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import { wireText } from "../wire_text.ts";

/** Options for {@linkcode createFtpService} (tests shorten the failed-login delay). */
export interface FtpServiceOptions {
  /** Pause before "530 Login incorrect.", drawn between min and max. @default { min: 3000, max: 4000 } */
  loginFailDelayMs?: { min: number; max: number };
  /** Uniform in [0, 1). @default Math.random */
  random?: () => number;
}

/** vsftpd's greeting on Debian bookworm (ftpd_banner unset). */
const DEFAULT_BANNER = "(vsFTPd 3.0.3)";
/** VSFTP_MAX_COMMAND_LINE is 4096 bytes with the LF: longer lines end the session. */
const MAX_LINE = 4095;
/** vsftpd's max_login_fails: the third failed PASS closes the connection. */
const MAX_LOGIN_FAILS = 3;
/** What vsftpd answers FEAT with before login, ssl_enable=NO. */
const FEAT_REPLY =
  "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n" +
  " TVFS\r\n211 End\r\n";

/**
 * An FTP service answering as Debian bookworm's vsftpd 3.0.3 with its stock
 * configuration before login (anonymous off): every login is refused after
 * the delay PAM and vsftpd add, and every command and credential recorded.
 *
 * @example
 * ```ts
 * const fast = createFtpService({ loginFailDelayMs: { min: 0, max: 0 } });
 * ```
 */
export function createFtpService(options: FtpServiceOptions = {}): SensorService {
  const delay = options.loginFailDelayMs ?? { min: 3000, max: 4000 };
  const random = options.random ?? Math.random;
  return {
    name: "ftp",
    defaultPort: 21,
    // vsftpd's idle_session_timeout.
    idleTimeoutMs: 300_000,
    serve: (session) => serveFtp(session, () => delay.min + (delay.max - delay.min) * random()),
  };
}

/** The FTP sensor with vsftpd's own delays. */
export const ftpService: SensorService = createFtpService();

async function serveFtp(session: SensorSession, failDelay: () => number): Promise<void> {
  await session.write(`220 ${session.options.banner ?? DEFAULT_BANNER}\r\n`);
  let user: string | null = null;
  let fails = 0;
  for (;;) {
    let line: string | null;
    try {
      line = await session.reader.readLine(MAX_LINE);
    } catch (e) {
      if (!(e instanceof LineTooLongError)) throw e;
      await session.write("500 Input line too long.\r\n");
      return;
    }
    if (line === null) return;
    // vsftpd ignores empty lines ("to avoid NAT device bugs").
    if (line === "") continue;
    const space = line.indexOf(" ");
    const verb = asciiUpper(space < 0 ? line : line.slice(0, space));
    const arg = space < 0 ? "" : line.slice(space + 1);
    if (verb !== "PASS") session.emit("command", { command: wireText(line) });
    if (verb === "USER") {
      user = arg === "" ? null : arg;
      await session.write("331 Please specify the password.\r\n");
    } else if (verb === "PASS") {
      if (user === null) {
        await session.write("503 Login with USER first.\r\n");
        continue;
      }
      const username = wireText(user);
      session.emit("auth_attempt", { username, method: "password", accepted: false });
      session.emit("credential", { username, secret_kind: "password", secret: wireText(arg) });
      user = null;
      await sleep(failDelay(), undefined, { signal: session.signal });
      await session.write("530 Login incorrect.\r\n");
      if (++fails >= MAX_LOGIN_FAILS) return;
    } else if (verb === "FEAT") {
      await session.write(FEAT_REPLY);
    } else if (verb === "OPTS") {
      await session.write(
        asciiUpper(arg) === "UTF8 ON"
          ? "200 Always in UTF8 mode.\r\n"
          : "501 Option not understood.\r\n",
      );
    } else if (verb === "QUIT") {
      await session.write("221 Goodbye.\r\n");
      return;
    } else {
      await session.write("530 Please login with USER and PASS.\r\n");
    }
  }
}

/** vsftpd's str_upper: ASCII letters only, as C's toupper in the C locale. */
function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}
