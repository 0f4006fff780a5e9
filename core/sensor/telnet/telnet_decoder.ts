/** Telnet command bytes (RFC 854). */
export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
export const SB = 0xfa;
export const SE = 0xf0;

/** One thing a telnet client sent: data, an option verb, a subnegotiation or another command. */
export type TelnetItem =
  | { kind: "data"; bytes: Uint8Array }
  | { kind: "option"; verb: number; option: number }
  | { kind: "sub"; option: number; data: Uint8Array }
  | { kind: "command"; code: number };

/** Subnegotiation payloads longer than this are cut (a terminal type or environment is far shorter). */
const MAX_SUB = 1024;

/**
 * Splits a telnet client's byte stream into data and IAC sequences, across
 * reads: IAC IAC is a data byte 0xff, IAC SB ... IAC SE a subnegotiation
 * (bounded), IAC WILL/WONT/DO/DONT an option, any other IAC x a command.
 *
 * @example
 * ```ts
 * const decoder = new TelnetDecoder();
 * decoder.push(Uint8Array.of(0x61, 0xff, 0xfd, 0x18)); // data "a", then DO TTYPE
 * ```
 */
export class TelnetDecoder {
  #state: "data" | "iac" | "verb" | "sub" | "sub_iac" = "data";
  #verb = 0;
  #sub: number[] = [];

  /** The items completed by `bytes` (a sequence cut by a read boundary completes later). */
  push(bytes: Uint8Array): TelnetItem[] {
    const items: TelnetItem[] = [];
    let data: number[] = [];
    const flush = () => {
      if (data.length > 0) items.push({ kind: "data", bytes: Uint8Array.from(data) });
      data = [];
    };
    for (const b of bytes) {
      switch (this.#state) {
        case "data":
          if (b === IAC) this.#state = "iac";
          else data.push(b);
          break;
        case "iac":
          if (b === IAC) {
            data.push(IAC);
            this.#state = "data";
          } else if (b >= WILL && b <= DONT) {
            this.#verb = b;
            this.#state = "verb";
          } else if (b === SB) {
            this.#sub = [];
            this.#state = "sub";
          } else {
            flush();
            items.push({ kind: "command", code: b });
            this.#state = "data";
          }
          break;
        case "verb":
          flush();
          items.push({ kind: "option", verb: this.#verb, option: b });
          this.#state = "data";
          break;
        case "sub":
          if (b === IAC) this.#state = "sub_iac";
          else if (this.#sub.length < MAX_SUB) this.#sub.push(b);
          break;
        case "sub_iac":
          if (b === SE) {
            flush();
            const [option = 0, ...rest] = this.#sub;
            items.push({ kind: "sub", option, data: Uint8Array.from(rest) });
            this.#state = "data";
          } else {
            if (b === IAC && this.#sub.length < MAX_SUB) this.#sub.push(IAC);
            this.#state = "sub";
          }
          break;
      }
    }
    flush();
    return items;
  }
}
