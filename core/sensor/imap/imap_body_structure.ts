import { headerValue, splitMessage } from "../mail/mod.ts";
import { imapString } from "./imap_string.ts";

/**
 * BODY or BODYSTRUCTURE of a single-part message (what the orchestrator
 * delivers): type, subtype, parameters, id, description, encoding, size,
 * and for text its line count; BODYSTRUCTURE adds the extension fields.
 * Pure.
 *
 * @param raw the message (CRLF)
 * @param extended BODYSTRUCTURE (true) or BODY (false)
 * @returns the parenthesised structure
 * @example
 * ```ts
 * imapBodyStructure("Subject: x\r\n\r\nhi\r\n", false); // '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 4 1)'
 * ```
 */
export function imapBodyStructure(raw: string, extended: boolean): string {
  const { header, body } = splitMessage(raw);
  const contentType = headerValue(header, "content-type") ?? "text/plain; charset=us-ascii";
  const [mime, ...rawParams] = contentType.split(";");
  const [type = "text", subtype = "plain"] = mime.trim().toLowerCase().split("/");
  const params: string[] = [];
  for (const param of rawParams) {
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    params.push(
      imapString(param.slice(0, eq).trim().toLowerCase()),
      imapString(param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1")),
    );
  }
  const encoding = (headerValue(header, "content-transfer-encoding") ?? "7bit").toLowerCase();
  const fields = [
    imapString(type),
    imapString(subtype),
    params.length ? `(${params.join(" ")})` : "NIL",
    imapString(headerValue(header, "content-id")),
    imapString(headerValue(header, "content-description")),
    imapString(encoding),
    String(body.length),
  ];
  if (type === "text") fields.push(String(body.split("\r\n").length - 1));
  if (extended) fields.push("NIL", "NIL", "NIL", "NIL");
  return `(${fields.join(" ")})`;
}
