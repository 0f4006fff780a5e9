import { formatEmailDate } from "./format_email_date.ts";

/** Options for {@linkcode deliveryHeaders}. */
export interface DeliveryHeadersOptions {
  /** Envelope sender address. */
  sender: string;
  /** The recipient's login on the decky. */
  login: string;
  /** The decky's host name. */
  hostname: string;
  date: Date;
  /** The decky's zone (the delivering host stamps its own local time). */
  timeZone: string;
  random: () => number;
}

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * The trace headers a delivery by the decky's own dovecot adds on top of a
 * message (LF line ends, as stored): `Return-Path`, `Delivered-To` and a
 * `Received` line in Dovecot's own shape with a session id like the ones
 * it logs. Pure.
 *
 * @param options envelope, recipient, host, time and randomness
 * @returns header lines, each ending in "\n"
 * @example
 * ```ts
 * import { deliveryHeaders } from "./delivery_headers.ts";
 * declare const message: string; // the message's own headers and body
 * const sender = "tom@corp.example";
 * const date = new Date();
 * const random = Math.random;
 * const eml = deliveryHeaders({ sender, login: "ana", hostname: "ws-01", date, timeZone: "UTC", random }) + message;
 * ```
 */
export function deliveryHeaders(options: DeliveryHeadersOptions): string {
  let id = "";
  for (let i = 0; i < 22; i++) id += ID_CHARS[Math.floor(options.random() * 64) % 64];
  const { sender, login, hostname } = options;
  return [
    `Return-Path: <${sender}>`,
    `Delivered-To: ${login}`,
    `Received: from ${hostname}`,
    `\tby ${hostname} with LMTP`,
    `\tid ${id}`,
    `\t(envelope-from <${sender}>)`,
    `\tfor <${login}>; ${formatEmailDate(options.date, options.timeZone)}`,
  ].map((l) => `${l}\n`).join("");
}
