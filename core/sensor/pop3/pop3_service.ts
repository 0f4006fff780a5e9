import { LineTooLongError } from "../conn_reader.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import { decodeSaslPlain, recordLogin, sessionSpool } from "../mail/mod.ts";
import { Pop3Maildrop } from "./pop3_maildrop.ts";

/** Options for {@linkcode createPop3Service}. */
export interface Pop3ServiceOptions {
  /** Dovecot's auth_failure_delay. @default 2000 */
  authFailureDelayMs?: number;
}

const LINE_LIMIT = 8192;
// pop3-login drops a client after this many bad commands; pop3 after more.
const MAX_BAD_PRE_LOGIN = 3;
const MAX_BAD = 20;
const CAPA = "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n";

/**
 * A POP3 sensor that answers as Debian bookworm's Dovecot 2.3.19 without
 * TLS (STLS refused, plaintext USER/PASS and SASL PLAIN allowed): CAPA,
 * USER/PASS and AUTH PLAIN with Dovecot's failure delay and texts, then
 * STAT, LIST, UIDL, RETR, TOP, DELE (never written to the spool), RSET,
 * NOOP and QUIT on the user's INBOX from the decky's mail spool. Every
 * command and credential is recorded.
 *
 * @param options the failure delay (tests shorten it)
 * @returns the service
 * @example
 * ```ts
 * import { serveSensor } from "../serve_sensor.ts";
 * import { jsonLinesSink } from "../json_lines_sink.ts";
 * serveSensor({ decky: "ws-01", services: [{ service: createPop3Service() }], sink: jsonLinesSink() });
 * ```
 */
export function createPop3Service(options: Pop3ServiceOptions = {}): SensorService {
  const failureDelayMs = options.authFailureDelayMs ?? 2000;
  return {
    name: "pop3",
    defaultPort: 110,
    // pop3-login's timeout for a client that never logs in.
    idleTimeoutMs: 180_000,
    serve: (session) => servePop3(session, failureDelayMs),
  };
}

/** The POP3 sensor with Dovecot's timings. */
export const pop3Service: SensorService = createPop3Service();

async function servePop3(session: SensorSession, failureDelayMs: number): Promise<void> {
  await session.write(`+OK ${session.options.banner ?? "Dovecot (Debian) ready."}\r\n`);
  let user: string | null = null;
  let bad = 0;
  while (!session.signal.aborted) {
    const line = await readCommand();
    if (line === null) return;
    const space = line.indexOf(" ");
    const name = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const arg = space < 0 ? "" : line.slice(space + 1);
    // The password goes in the credential event, never in a command.
    const recorded = name === "PASS"
      ? "PASS"
      : name === "AUTH"
      ? line.split(" ").slice(0, 2).join(" ")
      : line;
    session.emit("command", { command: recorded });
    let reply: string;
    switch (name) {
      case "CAPA":
        reply = `${CAPA}USER\r\nSASL PLAIN\r\n.\r\n`;
        break;
      case "USER":
        user = arg;
        reply = "+OK\r\n";
        break;
      case "PASS":
        if (user === null) {
          reply = "-ERR No username given.\r\n";
          break;
        }
        if (await login(user, arg, "USER")) return await loggedIn(user);
        user = null; // a failed PASS needs a new USER
        reply = "-ERR [AUTH] Authentication failed.\r\n";
        break;
      case "AUTH": {
        const [mechanism, initial] = arg.split(" ");
        if (!mechanism) {
          reply = "+OK\r\nPLAIN\r\n.\r\n";
          break;
        }
        if (mechanism.toUpperCase() !== "PLAIN") {
          reply = "-ERR [AUTH] Unsupported authentication mechanism.\r\n";
          break;
        }
        let response: string | null | undefined = initial;
        if (response === undefined) {
          await session.write("+ \r\n");
          response = await session.reader.readLine(LINE_LIMIT);
        }
        if (response === null || response === "*") {
          reply = "-ERR Authentication aborted by client.\r\n";
          break;
        }
        const plain = decodeSaslPlain(response === "=" ? "" : response);
        if (plain === "invalid") {
          reply = "-ERR [AUTH] Invalid base64 in response\r\n";
          break;
        }
        const username = plain?.username ?? "";
        if (await login(username, plain?.password ?? "", "PLAIN")) return await loggedIn(username);
        reply = "-ERR [AUTH] Authentication failed.\r\n";
        break;
      }
      case "STLS":
        reply = "-ERR TLS support isn't enabled.\r\n";
        break;
      case "APOP":
        reply = "-ERR APOP not enabled.\r\n";
        break;
      case "QUIT":
        await session.write("+OK Logging out\r\n");
        return;
      default:
        if (++bad >= MAX_BAD_PRE_LOGIN) {
          await session.write("-ERR Unknown command.\r\n-ERR Too many invalid bad commands.\r\n");
          return;
        }
        reply = "-ERR Unknown command.\r\n";
    }
    await session.write(reply);
  }

  function login(username: string, password: string, method: string): Promise<boolean> {
    return recordLogin(session, { username, password, method, failureDelayMs });
  }

  /** The next command line; null at EOF or after refusing an oversized one. */
  async function readCommand(): Promise<string | null> {
    try {
      return await session.reader.readLine(LINE_LIMIT);
    } catch (e) {
      if (!(e instanceof LineTooLongError)) throw e;
      await session.write("-ERR Input buffer full, aborting\r\n");
      return null;
    }
  }

  /** The transaction state, until QUIT or the client leaves. */
  async function loggedIn(username: string): Promise<void> {
    const drop = new Pop3Maildrop(await sessionSpool(session).mailbox(username));
    await session.write("+OK Logged in.\r\n");
    let bad = 0;
    while (!session.signal.aborted) {
      const line = await readCommand();
      if (line === null) return;
      const space = line.indexOf(" ");
      const name = (space < 0 ? line : line.slice(0, space)).toUpperCase();
      session.emit("command", { command: line });
      const reply = name === "CAPA"
        ? `${CAPA}.\r\n`
        : drop.answer(name, space < 0 ? "" : line.slice(space + 1));
      if (reply === null) {
        await session.write(
          name ? `-ERR Unknown command: ${name}\r\n` : "-ERR Unknown command.\r\n",
        );
        if (++bad >= MAX_BAD) return;
        continue;
      }
      await session.write(reply);
      if (name === "QUIT") return;
    }
  }
}
