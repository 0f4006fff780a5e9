import assert from "node:assert/strict";
import { clientIdentReply } from "../../../../core/sensor/ssh/client_ident_reply.ts";

Deno.test("clientIdentReply() accepts SSH-2.0 and SSH-1.99 identifications", () => {
  assert.equal(clientIdentReply("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"), undefined);
  assert.equal(clientIdentReply("SSH-1.99-PuTTY"), undefined);
});

Deno.test("clientIdentReply() answers as sshd to lines it refuses", async (t) => {
  const invalid = "Invalid SSH identification string.\r\n";
  const cases: [string | null, string][] = [
    ["GET / HTTP/1.1", invalid],
    ["", invalid],
    ["SSH-2.0", invalid],
    ["SSH-2.0-", invalid],
    ["SSH-2.0-a\rb", invalid],
    ["SSH-2.0-a\0b", invalid],
    [null, invalid],
    ["SSH-1.5-client", "Protocol major versions differ.\r\n"],
    ["SSH-3.0-client", "Protocol major versions differ.\r\n"],
  ];
  for (const [line, reply] of cases) {
    await t.step(JSON.stringify(line), () => assert.equal(clientIdentReply(line), reply));
  }
});
