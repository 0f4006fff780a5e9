import assert from "node:assert/strict";
import { mailMessage } from "../../../../core/alerts/channels/mail_message.ts";
import { makeAlert } from "../make_alert.ts";

const OPTIONS = { from: "decnet@ctl.example.org", to: ["soc@example.org"], now: new Date(0) };

Deno.test("mailMessage() keeps every line short and 7-bit whatever the attacker sent", () => {
  const message = mailMessage(
    makeAlert({ user_agent: `${"\u00e9".repeat(300)} ${"A".repeat(500)} ` }),
    OPTIONS,
  );
  for (const line of message.split("\r\n")) {
    assert.ok(line.length <= 76 || line.startsWith("Message-ID"), line);
    assert.match(line, /^[\x20-\x7e]*$/);
  }
  assert.doesNotMatch(message, /[^\r]\n/, "CRLF line ends only");
  assert.match(message, /^Date: Thu, 01 Jan 1970 00:00:00 \+0000\r$/m);
  assert.match(message, /=C3=A9=C3=A9/);
  assert.match(message, / =20\r\n|=20$/m, "a trailing space is encoded");
});

Deno.test("mailMessage() cannot be made to add headers through the title", () => {
  const message = mailMessage(makeAlert({ title: "x\r\nBcc: evil@example.org" }), OPTIONS);
  const head = message.split("\r\n\r\n")[0];
  assert.doesNotMatch(head, /^Bcc:/m);
  assert.match(head, /^Subject: \[high\] x\\x0d\\x0aBcc: evil@example.org$/m);
});

Deno.test("mailMessage() encodes a non-ASCII subject as RFC 2047 words of at most 75 characters", () => {
  const message = mailMessage(makeAlert({ title: "\u00fc".repeat(60) }), OPTIONS);
  const subject = /^Subject: ([\s\S]*?)\r\n(?! )/m.exec(message)![1];
  const words = subject.split("\r\n ");
  assert.ok(words.length > 1);
  for (const word of words) {
    assert.match(word, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    assert.ok(word.length <= 75, word);
  }
  const decoded = words.map((w) =>
    new TextDecoder().decode(Uint8Array.from(atob(w.slice(10, -2)), (c) => c.charCodeAt(0)))
  ).join("");
  assert.equal(decoded, `[high] ${"\u00fc".repeat(60)}`);
});
