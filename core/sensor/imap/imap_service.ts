import { LineTooLongError } from "../conn_reader.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import { decodeSaslPlain, recordLogin } from "../mail/mod.ts";
import {
  DOVECOT_READY,
  IMAP_CAPABILITIES,
  IMAP_PRE_LOGIN_CAPABILITIES,
} from "./imap_capabilities.ts";
import { ImapMailSession } from "./imap_mail_session.ts";
import { ImapSyntaxError, type ImapToken, parseImapArgs, tokenText } from "./imap_token.ts";
import { ImapLiteralTooLargeError, readImapCommand } from "./read_imap_command.ts";

/** Options for {@linkcode createImapService}. */
export interface ImapServiceOptions {
  /** Dovecot's auth_failure_delay. @default 2000 */
  authFailureDelayMs?: number;
}

// Dovecot's imap_max_line_length (64 KiB) bounds lines and literals alike.
const LIMIT = 64 * 1024;
// imap-login drops a client after this many bad commands.
const MAX_BAD_PRE_LOGIN = 3;
const PRE_LOGIN_BAD = "BAD Error in IMAP command received by server.";
// A tag is an atom without "+"; Dovecot answers anything else (a blank
// line included) with an untagged BAD.
// deno-lint-ignore no-control-regex
const VALID_TAG_REGEXP = /^[^\x00-\x20\x7f(){%*"\\+]+$/;

/**
 * An IMAP4rev1 sensor that answers as Debian bookworm's Dovecot 2.3.19
 * (without TLS: no STARTTLS offered, plaintext LOGIN allowed): greeting,
 * CAPABILITY, LOGIN and AUTHENTICATE PLAIN with Dovecot's failure delay and
 * texts, then the INBOX from the decky's mail spool (see
 * {@linkcode ImapMailSession}). Every command and credential is recorded.
 *
 * @param options the failure delay (tests shorten it)
 * @returns the service
 * @example
 * ```ts
 * import { serveSensor } from "../serve_sensor.ts";
 * import { jsonLinesSink } from "../json_lines_sink.ts";
 * const imap = createImapService();
 * serveSensor({ decky: "ws-01", services: [{ service: imap, options: { mailSpool: "/var/mail" } }], sink: jsonLinesSink() });
 * ```
 */
export function createImapService(options: ImapServiceOptions = {}): SensorService {
  const failureDelayMs = options.authFailureDelayMs ?? 2000;
  return {
    name: "imap",
    defaultPort: 143,
    // imap-login's timeout for a client that never logs in.
    idleTimeoutMs: 180_000,
    serve: (session) => serveImap(session, failureDelayMs),
  };
}

/** The IMAP sensor with Dovecot's timings. */
export const imapService: SensorService = createImapService();

async function serveImap(session: SensorSession, failureDelayMs: number): Promise<void> {
  const banner = session.options.banner ?? DOVECOT_READY;
  await session.write(`* OK [CAPABILITY ${IMAP_PRE_LOGIN_CAPABILITIES}] ${banner}\r\n`);
  let bad = 0;
  // Set once the client asks CAPABILITY itself: Dovecot then repeats them untagged at login.
  let asksCapability = false;
  let mail: ImapMailSession | null = null;
  while (!session.signal.aborted) {
    let read;
    try {
      read = await readImapCommand(session.reader, {
        limit: LIMIT,
        sendContinuation: () => session.write("+ OK\r\n"),
      });
    } catch (e) {
      if (e instanceof ImapLiteralTooLargeError) {
        await session.write("* BYE Literal size too large\r\n");
        return;
      }
      if (e instanceof LineTooLongError) {
        await session.write("* BYE Input buffer full, aborting\r\n");
        return;
      }
      throw e;
    }
    if (read === null) return;
    const head = typeof read.parts[0] === "string" ? read.parts[0] : "";
    const m = /^(\S+)(?: +(\S*))?(?: ?)(.*)$/s.exec(head) ?? ["", "", "", ""];
    const tag = m[1];
    if (!VALID_TAG_REGEXP.test(tag)) {
      session.emit("command", { command: read.text });
      if (mail) {
        if (!await mail.refuseTag()) return;
        continue;
      }
      if (!await refuse("*")) return;
      continue;
    }
    const name = (m[2] ?? "").toUpperCase();
    let args: ImapToken[] | null;
    try {
      args = parseImapArgs([m[3], ...read.parts.slice(1)]);
    } catch (e) {
      if (!(e instanceof ImapSyntaxError)) throw e;
      args = null;
    }
    const ident = name === "ID" && args ? clientIdent(args) : null;
    session.emit("command", {
      command: recordedCommand(tag, name, read.text),
      ...(ident ? { client_ident: ident } : {}),
    });
    if (mail) {
      if (!await mail.run(tag, m[2] ?? "", args)) return;
      continue;
    }
    const reply = args === null ? null : await preLogin(tag, name, args);
    if (reply === "logout") return;
    if (reply === null) {
      if (!await refuse(tag)) return;
    } else if (typeof reply === "string") {
      await session.write(reply);
    } else {
      const loggedIn = asksCapability
        ? `* CAPABILITY ${IMAP_CAPABILITIES}\r\n${tag} OK Logged in\r\n`
        : `${tag} OK [CAPABILITY ${IMAP_CAPABILITIES}] Logged in\r\n`;
      await session.write(loggedIn);
      mail = await ImapMailSession.open(session, reply.username);
    }
  }

  /** Answers a bad command before login; false once there were too many. */
  async function refuse(tag: string): Promise<boolean> {
    if (++bad >= MAX_BAD_PRE_LOGIN) {
      await session.write("* BYE Too many invalid IMAP commands.\r\n");
      return false;
    }
    await session.write(`${tag} ${PRE_LOGIN_BAD}\r\n`);
    return true;
  }

  /** The reply to a command before login, a login, or null for a bad command. */
  async function preLogin(
    tag: string,
    name: string,
    args: ImapToken[],
  ): Promise<string | { username: string } | "logout" | null> {
    switch (name) {
      case "CAPABILITY":
        asksCapability = true;
        return `* CAPABILITY ${IMAP_PRE_LOGIN_CAPABILITIES}\r\n` +
          `${tag} OK Pre-login capabilities listed, post-login capabilities have more.\r\n`;
      case "NOOP":
        return `${tag} OK NOOP completed.\r\n`;
      case "LOGOUT":
        await session.write(`* BYE Logging out\r\n${tag} OK Logout completed.\r\n`);
        return "logout";
      case "ID":
        return `* ID ("name" "Dovecot")\r\n${tag} OK ID completed.\r\n`;
      case "STARTTLS":
        return `${tag} BAD TLS support isn't enabled.\r\n`;
      case "LOGIN": {
        const [username, password] = args.map(tokenText);
        if (args.length !== 2 || username === null || password === null) return null;
        return await login(tag, username, password, "LOGIN");
      }
      case "AUTHENTICATE":
        return await authenticate(tag, args);
      default:
        return null;
    }
  }

  async function authenticate(
    tag: string,
    args: ImapToken[],
  ): Promise<string | { username: string } | null> {
    const mechanism = tokenText(args[0])?.toUpperCase();
    if (!mechanism || args.length > 2) return null;
    if (mechanism !== "PLAIN") return `${tag} NO [ALERT] Unsupported authentication mechanism.\r\n`;
    let response = tokenText(args[1]);
    if (response === null) {
      await session.write("+ \r\n");
      response = await session.reader.readLine(LIMIT);
      if (response === null) return "logout";
    }
    if (response === "*") return `${tag} BAD Authentication aborted by client.\r\n`;
    const plain = decodeSaslPlain(response === "=" ? "" : response);
    if (plain === "invalid") return `${tag} NO [ALERT] Invalid base64 in response\r\n`;
    return await login(tag, plain?.username ?? "", plain?.password ?? "", "PLAIN");
  }

  async function login(
    tag: string,
    username: string,
    password: string,
    method: string,
  ): Promise<string | { username: string }> {
    const accepted = await recordLogin(session, { username, password, method, failureDelayMs });
    return accepted ? { username } : `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`;
  }
}

/** The command as recorded: never a password (that goes in the credential event). */
function recordedCommand(tag: string, name: string, text: string): string {
  if (name === "LOGIN") return `${tag} LOGIN ${text.split(/ +/)[2] ?? ""}`.trimEnd();
  if (name === "AUTHENTICATE") return `${tag} AUTHENTICATE ${text.split(/ +/)[2] ?? ""}`.trimEnd();
  return text;
}

/** `ID ("name" "Thunderbird" "version" "115")` -> `Thunderbird 115`. */
function clientIdent(args: ImapToken[]): string | null {
  const list = args[0];
  if (!list || list.type !== "list") return null;
  const pairs = new Map<string, string>();
  for (let i = 0; i + 1 < list.items.length; i += 2) {
    const key = tokenText(list.items[i]);
    const value = tokenText(list.items[i + 1]);
    if (key !== null && value !== null) pairs.set(key.toLowerCase(), value);
  }
  const ident = [pairs.get("name"), pairs.get("version")].filter(Boolean).join(" ");
  return ident || null;
}
