import assert from "node:assert/strict";
import { ConnReader } from "../../../../core/sensor/conn_reader.ts";
import { parseImapArgs } from "../../../../core/sensor/imap/imap_token.ts";
import {
  ImapLiteralTooLargeError,
  readImapCommand,
} from "../../../../core/sensor/imap/read_imap_command.ts";

/** A byte source that hands out the given text and counts what was asked of it. */
function source(text: string) {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  let at = 0;
  return {
    read(buffer: Uint8Array): Promise<number | null> {
      if (at >= bytes.length) return Promise.resolve(null);
      const n = Math.min(buffer.length, bytes.length - at);
      buffer.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
  };
}

Deno.test("readImapCommand() reads literals, asking to continue only for synchronising ones", async () => {
  let continuations = 0;
  const reader = new ConnReader(source("a1 LOGIN {3}\r\nana {6+}\r\ns3cret\r\na2 NOOP\r\n"));
  const options = { limit: 1024, sendContinuation: () => Promise.resolve(void continuations++) };
  const command = await readImapCommand(reader, options);
  assert.deepEqual(command?.parts, [
    "a1 LOGIN ",
    { literal: "ana" },
    " ",
    { literal: "s3cret" },
    "",
  ]);
  assert.equal(continuations, 1);
  assert.deepEqual((await readImapCommand(reader, options))?.parts, ["a2 NOOP"]);
  assert.equal(await readImapCommand(reader, options), null);
});

Deno.test("readImapCommand() refuses a huge literal before reading or allocating it", async () => {
  let continuations = 0;
  const reader = new ConnReader(source("a1 LOGIN {4294967295}\r\n"));
  await assert.rejects(
    readImapCommand(reader, {
      limit: 65536,
      sendContinuation: () => Promise.resolve(void continuations++),
    }),
    ImapLiteralTooLargeError,
  );
  assert.equal(continuations, 0);
  await assert.rejects(
    readImapCommand(new ConnReader(source("a1 X {99999999999999999999}\r\n")), {
      limit: 65536,
      sendContinuation: () => Promise.resolve(),
    }),
    ImapLiteralTooLargeError,
  );
});

Deno.test("parseImapArgs() keeps a fetch section's spaces and parentheses inside its atom", () => {
  assert.deepEqual(
    parseImapArgs(['1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.10>) "a \\"b\\""']),
    [
      { type: "atom", value: "1:*" },
      {
        type: "list",
        items: [
          { type: "atom", value: "UID" },
          { type: "atom", value: "BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.10>" },
        ],
      },
      { type: "string", value: 'a "b"' },
    ],
  );
  assert.throws(() => parseImapArgs(["(a"]), SyntaxError);
  assert.throws(() => parseImapArgs(['"a']), SyntaxError);
  assert.throws(() => parseImapArgs(["a)"]), SyntaxError);
});
