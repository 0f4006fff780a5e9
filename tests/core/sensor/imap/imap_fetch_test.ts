import assert from "node:assert/strict";
import { parseFetchItems, renderFetch } from "../../../../core/sensor/imap/imap_fetch.ts";
import { parseImapSearch } from "../../../../core/sensor/imap/imap_search.ts";
import { parseImapArgs } from "../../../../core/sensor/imap/imap_token.ts";

// Expected answers below are Dovecot 2.3.19's, captured from the real server.
const RAW = [
  "Return-Path: <tom@corp.example>",
  "Date: Mon, 30 Nov 2026 10:12:40 +0100",
  "From: Tom Berg <tom@corp.example>",
  "To: Ana Lopez <ana@corp.example>",
  "Subject: Budget review",
  "Message-ID: <1.abc@corp.example>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=UTF-8",
  "Content-Transfer-Encoding: 7bit",
  "",
  "Hi Ana,",
  "",
  "can we go over the Q4 numbers tomorrow?",
  "",
  "Tom",
  "",
].join("\r\n");
const MESSAGE = {
  seq: 1,
  uid: 7,
  raw: RAW,
  internalDate: new Date("2026-11-30T09:12:44Z"),
  flags: ["\\Seen", "\\Recent"],
};

function fetch(items: string): string {
  const parsed = parseFetchItems(parseImapArgs([items])[0]);
  if ("error" in parsed) return parsed.error;
  return renderFetch(MESSAGE, parsed);
}

Deno.test("renderFetch() orders items as Dovecot does: UID, inline items, then sections and structures", () => {
  assert.equal(
    fetch("(BODY.PEEK[HEADER.FIELDS (Subject)] BODY FLAGS UID)"),
    '* 1 FETCH (UID 7 FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (SUBJECT)] {26}\r\nSubject: Budget review\r\n\r\n BODY ("text" "plain" ("charset" "UTF-8") NIL NIL "7bit" 59 5))\r\n',
  );
  assert.equal(
    fetch("ALL"),
    '* 1 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE "30-Nov-2026 09:12:44 +0000" RFC822.SIZE 353 ' +
      'ENVELOPE ("Mon, 30 Nov 2026 10:12:40 +0100" "Budget review" (("Tom Berg" NIL "tom" "corp.example")) ' +
      '(("Tom Berg" NIL "tom" "corp.example")) (("Tom Berg" NIL "tom" "corp.example")) ' +
      '(("Ana Lopez" NIL "ana" "corp.example")) NIL NIL NIL "<1.abc@corp.example>"))\r\n',
  );
  assert.equal(fetch("BODY[]<5.10>"), "* 1 FETCH (BODY[]<5> {10}\r\nn-Path: <t)\r\n");
  assert.equal(
    fetch("BODY.PEEK[TEXT]<0.10>"),
    "* 1 FETCH (BODY[TEXT]<0> {10}\r\nHi Ana,\r\n\r)\r\n",
  );
});

Deno.test("parseFetchItems() refuses what Dovecot refuses, in its words", () => {
  assert.equal(fetch("(FOO)"), "Unknown parameter: FOO");
  assert.equal(fetch("BODY[HEADER.FIELDS ()]"), "Invalid BODY[..] section");
  assert.equal(fetch("()"), "Invalid arguments");
});

Deno.test("parseImapSearch() matches flags, header text, dates and sets", () => {
  const search = (keys: string) => {
    const test = parseImapSearch(parseImapArgs([keys]), { maxSeq: 1, maxUid: 7 });
    if ("error" in test) return test.error;
    return test({ ...MESSAGE, flags: new Set(MESSAGE.flags) });
  };
  assert.equal(search("SEEN FROM tom SUBJECT budget"), true);
  assert.equal(search("UNSEEN"), false);
  assert.equal(search("OR UNSEEN NOT FROM bo"), true);
  assert.equal(search("SINCE 1-Dec-2026"), false);
  assert.equal(search("ON 30-Nov-2026 UID 5:*"), true);
  assert.equal(search("BODY numbers 1"), true);
  assert.equal(search("SINCE garbage"), "Invalid search date parameter");
  assert.equal(search("FOO"), "Unknown argument FOO");
  assert.equal(search("OR"), "Missing argument");
});
