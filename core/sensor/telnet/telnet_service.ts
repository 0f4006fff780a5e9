import { setTimeout as sleep } from "node:timers/promises";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import { wireText } from "../wire_text.ts";
import {
  DO,
  DONT,
  IAC,
  SB,
  SE,
  TelnetDecoder,
  type TelnetItem,
  WILL,
  WONT,
} from "./telnet_decoder.ts";

/** Options for {@linkcode createTelnetService} (tests shorten the failed-login delay). */
export interface TelnetServiceOptions {
  /** Pause before "Login incorrect" (pam_faildelay 3 s, ±25 %). @default { min: 2250, max: 3750 } */
  loginFailDelayMs?: { min: number; max: number };
  /** Uniform in [0, 1). @default Math.random */
  random?: () => number;
}

const BINARY = 0, ECHO = 1, SGA = 3, STATUS = 5, TM = 6, TTYPE = 24, NAWS = 31, TSPEED = 32;
const LFLOW = 33, LINEMODE = 34, XDISPLOC = 35, OLD_ENVIRON = 36, AUTH = 37, ENCRYPT = 38;
const NEW_ENVIRON = 39;
/** The subnegotiation verb SEND and the reply verb IS. */
const SEND = 1, IS = 0;

/** What the kernel release line says unless the fleet file's banner names another. */
const DEFAULT_SYSTEM = "Linux 6.1.0-37-amd64";
const DEFAULT_HOSTNAME = "debian";
/** login.defs LOGIN_RETRIES on Debian. */
const LOGIN_RETRIES = 5;
/** A canonical-mode tty line holds 4095 bytes; more are dropped. */
const MAX_LINE = 4095;
/** N_TTY's input queue: typed bytes waiting for the reader beyond this are dropped. */
const MAX_INPUT = 4096;

/** One negotiation round: what the server offers, and the verbs that answer each offer. */
type Offer = [verb: number, option: number];

/** inetutils telnetd's first round (getterminaltype). */
const TERMINAL_ROUND: Offer[] = [
  [WILL, AUTH],
  [WILL, ENCRYPT],
  [DO, TTYPE],
  [DO, TSPEED],
  [DO, XDISPLOC],
  [DO, NEW_ENVIRON],
  [DO, OLD_ENVIRON],
];
/** Its second round, once the terminal is known (telnet_run). */
const TERMINAL_MODES: Offer[] = [
  [WILL, SGA],
  [DO, ECHO],
  [DO, LINEMODE],
  [DO, NAWS],
  [WILL, STATUS],
  [DO, LFLOW],
];
/** Offered as login starts, answers not awaited: the server echoes, marks time, goes binary. */
const LOGIN_OFFERS: Offer[] = [[WILL, ECHO], [DO, TM], [DO, BINARY]];
/** Subnegotiations asked for, in telnetd's order, when the client agreed to the option. */
const SEND_ORDER = [TSPEED, XDISPLOC, NEW_ENVIRON, TTYPE];

/**
 * A telnet service answering as Debian's inetutils-telnetd with shadow's
 * login: its option negotiation, the host line and `login:` prompt, echo,
 * `Password:`, "Login incorrect" after PAM's delay and the end after five
 * tries. Every attempt is recorded; an accepted login (options.accept) is
 * recorded as a success and the connection then closes (no shell yet).
 *
 * @example
 * ```ts
 * const fast = createTelnetService({ loginFailDelayMs: { min: 0, max: 0 } });
 * ```
 */
export function createTelnetService(options: TelnetServiceOptions = {}): SensorService {
  const delay = options.loginFailDelayMs ?? { min: 2250, max: 3750 };
  const random = options.random ?? Math.random;
  const ptys = new Set<number>();
  return {
    name: "telnet",
    defaultPort: 23,
    // login's LOGIN_TIMEOUT.
    idleTimeoutMs: 60_000,
    async serve(session) {
      let pty = 0;
      while (ptys.has(pty)) pty++;
      ptys.add(pty);
      try {
        await serveTelnet(session, pty, () => delay.min + (delay.max - delay.min) * random());
      } finally {
        ptys.delete(pty);
      }
    },
  };
}

/** The telnet sensor with login's own delays. */
export const telnetService: SensorService = createTelnetService();

/** The client's bytes as telnet items, with data bytes kept for the line reader. */
class TelnetInput {
  readonly #session: SensorSession;
  readonly #decoder = new TelnetDecoder();
  #items: TelnetItem[] = [];
  readonly #offers = new Map<number, number>();

  /** Records offers sent without waiting for their answers, so the answers are not taken as requests. */
  offered(offers: Offer[]): void {
    for (const [verb, option] of offers) this.#offers.set(option, verb);
  }

  /** Unasked options already answered, so a repeat gets no answer (no negotiation loops). */
  readonly #answered = new Set<string>();
  readonly typed: number[] = [];
  readonly subs = new Map<number, Uint8Array>();
  interrupted = false;

  constructor(session: SensorSession) {
    this.#session = session;
  }

  /**
   * The next option verb or subnegotiation from the client (subnegotiations
   * are also kept in `subs`), keeping data for the line reader; null at EOF.
   */
  async nextNegotiation(): Promise<
    { kind: "option"; verb: number; option: number } | { kind: "sub"; option: number } | null
  > {
    for (;;) {
      const item = await this.#next();
      if (item === null) return null;
      if (item.kind === "option") return item;
      if (item.kind === "sub") {
        this.subs.set(item.option, item.data);
        return item;
      }
      if (item.kind === "data") this.#keep(item.bytes);
    }
  }

  /** The next data byte; null at EOF or when the client interrupts. */
  async nextByte(): Promise<number | null> {
    while (this.typed.length === 0) {
      const item = await this.#next();
      if (item === null) return null;
      if (item.kind === "data") this.#keep(item.bytes);
      else if (item.kind === "option") await this.refuseUnasked(item.verb, item.option);
      else if (item.kind === "sub") this.subs.set(item.option, item.data);
    }
    return this.typed.shift()!;
  }

  /**
   * Answers an option nobody asked about once (never WONT/DONT, as RFC 854
   * says): telnetd agrees to BINARY both ways and refuses the rest.
   */
  async refuseUnasked(verb: number, option: number): Promise<void> {
    const ours = this.#offers.get(option);
    if (
      ours !== undefined &&
      (ours === WILL ? verb === DO || verb === DONT : verb === WILL || verb === WONT)
    ) {
      this.#offers.delete(option);
      return;
    }
    const key = `${verb}:${option}`;
    if ((verb !== WILL && verb !== DO) || this.#answered.has(key)) return;
    this.#answered.add(key);
    const reply = option === BINARY ? (verb === WILL ? DO : WILL) : verb === WILL ? DONT : WONT;
    await this.#session.write(Uint8Array.of(IAC, reply, option));
  }

  /** Keeps typed bytes for the line reader, as many as a tty's input queue holds (the rest is dropped). */
  #keep(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.typed.length >= MAX_INPUT) return;
      this.typed.push(b);
    }
  }

  async #next(): Promise<TelnetItem | null> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        // IAC IP: the tty's interrupt character.
        if (item.kind === "command" && item.code === 0xf4) {
          return { kind: "data", bytes: Uint8Array.of(3) };
        }
        if (item.kind === "command") continue;
        return item;
      }
      const chunk = await this.#session.reader.readSome();
      if (chunk === null) return null;
      this.#items = this.#decoder.push(chunk);
    }
  }
}

/** Offers one round and waits for an answer to each; returns the options the client agreed to. */
async function negotiate(
  input: TelnetInput,
  session: SensorSession,
  round: Offer[],
): Promise<Set<number> | null> {
  await session.write(Uint8Array.from(round.flatMap(([verb, option]) => [IAC, verb, option])));
  const waiting = new Map(round.map(([verb, option]) => [option, verb]));
  const agreed = new Set<number>();
  while (waiting.size > 0) {
    const answer = await input.nextNegotiation();
    if (answer === null) return null;
    if (answer.kind === "sub") continue;
    const asked = waiting.get(answer.option);
    const yes = asked === WILL ? DO : WILL;
    const no = asked === WILL ? DONT : WONT;
    if (asked === undefined || (answer.verb !== yes && answer.verb !== no)) {
      await input.refuseUnasked(answer.verb, answer.option);
      continue;
    }
    waiting.delete(answer.option);
    if (answer.verb === yes) agreed.add(answer.option);
  }
  return agreed;
}

async function serveTelnet(
  session: SensorSession,
  pty: number,
  failDelay: () => number,
): Promise<void> {
  const input = new TelnetInput(session);
  const terminal = await negotiate(input, session, TERMINAL_ROUND);
  if (terminal === null) return;
  const wanted = SEND_ORDER.filter((o) => terminal.has(o));
  if (!terminal.has(NEW_ENVIRON) && terminal.has(OLD_ENVIRON)) wanted.splice(-1, 0, OLD_ENVIRON);
  if (wanted.length > 0) {
    await session.write(Uint8Array.from(wanted.flatMap((o) => [IAC, SB, o, SEND, IAC, SE])));
    while (!wanted.every((o) => input.subs.has(o))) {
      const item = await input.nextNegotiation();
      if (item === null) return;
      if (item.kind === "option") await input.refuseUnasked(item.verb, item.option);
    }
  }
  const terminalFields = terminalOf(input.subs);
  const modes = await negotiate(input, session, TERMINAL_MODES);
  if (modes === null) return;
  const host = session.options.hostname ?? DEFAULT_HOSTNAME;
  const peer = session.remote.ip === "::1" || session.remote.ip.startsWith("127.")
    ? "localhost"
    : session.remote.ip;
  input.offered(LOGIN_OFFERS);
  await session.write(Uint8Array.from([
    ...(modes.has(ECHO) ? [IAC, DONT, ECHO] : []),
    ...LOGIN_OFFERS.flatMap(([verb, option]) => [IAC, verb, option]),
  ]));
  await session.write(
    `\r\n${session.options.banner ?? DEFAULT_SYSTEM} (${peer}) (pts/${pty})\r\n\r\n`,
  );
  for (let tries = 1;; tries++) {
    await session.write(`${host} login: `);
    const user = await readLine(input, session, true);
    if (user === null) return;
    await session.write("Password: ");
    const password = await readLine(input, session, false);
    if (password === null) return;
    const username = wireText(user);
    const secret = wireText(password);
    const accepted = (session.options.accept ?? []).some((c) =>
      c.username === username && c.password === secret
    );
    session.emit("auth_attempt", { username, method: "password", accepted, ...terminalFields });
    session.emit("credential", { username, secret_kind: "password", secret });
    if (accepted) {
      session.emit("auth_success", { username });
      return;
    }
    await sleep(failDelay(), undefined, { signal: session.signal });
    await session.write("\r\nLogin incorrect\r\n");
    if (tries >= LOGIN_RETRIES) {
      await session.write(`Maximum number of tries exceeded (${LOGIN_RETRIES})\r\n`);
      return;
    }
  }
}

/** Terminal type (as client_ident), speed, display and environment the client gave. */
function terminalOf(subs: Map<number, Uint8Array>): Record<string, string> {
  const text = (o: number) => {
    const data = subs.get(o);
    return data && data[0] === IS ? wireText(data.subarray(1)) : undefined;
  };
  const fields: Record<string, string> = {};
  const ttype = text(TTYPE);
  if (ttype) fields.client_ident = ttype;
  const speed = text(TSPEED);
  if (speed) fields.terminal_speed = speed;
  const display = text(XDISPLOC);
  if (display) fields.x_display = display;
  const environ = text(NEW_ENVIRON) ?? text(OLD_ENVIRON);
  if (environ) fields.environment = environ;
  return fields;
}

/**
 * One line as the tty in canonical mode delivers it: CR (with the LF or NUL
 * telnet adds) or LF ends it, DEL and BS erase, ^C ends the session. With
 * `echo` the tty echoes what is typed; without, only the newline.
 */
async function readLine(
  input: TelnetInput,
  session: SensorSession,
  echo: boolean,
): Promise<string | null> {
  let line = "";
  for (;;) {
    const b = await input.nextByte();
    if (b === null) return null;
    if (b === 0x0d || b === 0x0a) {
      if (b === 0x0d && (input.typed[0] === 0x0a || input.typed[0] === 0x00)) input.typed.shift();
      await session.write("\r\n");
      return line;
    }
    if (b === 0x03) {
      // What a plain reader sees of the tty's ^C echo and telnetd's urgent IAC DM.
      await session.write("\xf2^C");
      return null;
    }
    if (b === 0x7f || b === 0x08) {
      if (line.length > 0) {
        line = line.slice(0, -1);
        if (echo) await session.write("\b \b");
      }
      continue;
    }
    if (b === 0x00 || line.length >= MAX_LINE) continue;
    line += String.fromCharCode(b);
    if (echo) await session.write(String.fromCharCode(b));
  }
}
