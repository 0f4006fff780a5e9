import assert from "node:assert/strict";
import {
  parseChannelConfig,
  type SmtpChannelConfig,
} from "../../../../core/alerts/alert_channel.ts";
import { SmtpChannel } from "../../../../core/alerts/channels/smtp_channel.ts";
import { channelRejection } from "../channel_rejection.ts";
import { makeAlert } from "../make_alert.ts";

/**
 * A scripted SMTP peer on loopback for the replies a real relay gives only
 * when misconfigured (the happy paths run against aiosmtpd in
 * tests/integration/alerts): `reply(command)` answers each line.
 */
function scriptedRelay(greeting: string, reply: (line: string) => string) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const commands: string[] = [];
  const served = (async () => {
    for await (const conn of listener) {
      await conn.write(new TextEncoder().encode(`${greeting}\r\n`));
      let buffer = "";
      let inData = false;
      const chunk = new Uint8Array(4096);
      while (true) {
        const n = await conn.read(chunk).catch(() => null);
        if (n === null) break;
        buffer += new TextDecoder().decode(chunk.subarray(0, n));
        let end;
        while ((end = buffer.indexOf("\r\n")) >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (inData) {
            if (line === ".") {
              inData = false;
              await conn.write(new TextEncoder().encode(`${reply("<message>")}\r\n`));
            }
            continue;
          }
          commands.push(line);
          const answer = reply(line);
          if (answer.startsWith("354")) inData = true;
          await conn.write(new TextEncoder().encode(`${answer}\r\n`));
        }
      }
      conn.close();
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    commands,
    async [Symbol.asyncDispose]() {
      listener.close();
      await served;
    },
  };
}

/** A relay that accepts everything unless `override` answers the command. */
function answers(override: (line: string) => string | undefined = () => undefined) {
  return (line: string): string => {
    const special = override(line);
    if (special) return special;
    if (line.startsWith("EHLO")) return "250-relay.example\r\n250 8BITMIME";
    if (line === "DATA") return "354 go ahead";
    if (line === "QUIT") return "221 bye";
    return "250 ok";
  };
}

function send(port: number, timeoutMs = 2000): Promise<void> {
  const config = parseChannelConfig({
    type: "smtp",
    host: "127.0.0.1",
    port,
    from: "decnet@example.org",
    to: ["a@example.org", "b@example.org"],
    starttls: "off",
    timeout_ms: timeoutMs,
  }) as SmtpChannelConfig;
  return new SmtpChannel(config).send(makeAlert());
}

Deno.test("SmtpChannel: a relay refusing the session (554 greeting) is retryable", async () => {
  await using relay = scriptedRelay("554 no service for you", answers());
  const e = await channelRejection(send(relay.port));
  assert.equal(e.retryable, true);
  assert.match(e.reason, /answered the greeting with 554 no service for you/);
});

Deno.test("SmtpChannel: every recipient refused with 5xx is final, with 4xx retryable", async (t) => {
  await t.step("550", async () => {
    await using relay = scriptedRelay(
      "220 relay",
      answers((l) => l.startsWith("RCPT") ? "550 no such user" : undefined),
    );
    const e = await channelRejection(send(relay.port));
    assert.equal(e.retryable, false);
    assert.match(e.reason, /RCPT TO with 550 no such user/);
    assert.ok(!relay.commands.includes("DATA"));
  });
  await t.step("452", async () => {
    await using relay = scriptedRelay(
      "220 relay",
      answers((l) => l.startsWith("RCPT") ? "452 mailbox full" : undefined),
    );
    assert.equal((await channelRejection(send(relay.port))).retryable, true);
  });
});

Deno.test("SmtpChannel: one recipient refused, the other still gets the mail", async () => {
  await using relay = scriptedRelay(
    "220 relay",
    answers((l) => l === "RCPT TO:<a@example.org>" ? "550 no such user" : undefined),
  );
  await send(relay.port);
  assert.deepEqual(relay.commands.slice(1), [
    "MAIL FROM:<decnet@example.org>",
    "RCPT TO:<a@example.org>",
    "RCPT TO:<b@example.org>",
    "DATA",
    "QUIT",
  ]);
});

Deno.test("SmtpChannel: a message refused at the end of DATA (552) is final", async () => {
  await using relay = scriptedRelay(
    "220 relay",
    answers((l) => l === "<message>" ? "552 too big" : undefined),
  );
  const e = await channelRejection(send(relay.port));
  assert.equal(e.retryable, false);
  assert.match(e.reason, /answered the message with 552 too big/);
});

Deno.test("SmtpChannel: a relay that never answers times out, retryably", async () => {
  await using relay = scriptedRelay(
    "220 relay",
    answers((l) => l.startsWith("EHLO") ? "250-relay" : undefined),
  );
  const e = await channelRejection(send(relay.port, 300));
  assert.equal(e.retryable, true);
  assert.match(e.reason, /timed out after 300 ms/);
});
