import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  parseChannelConfig,
  type WebhookChannelConfig,
} from "../../../core/alerts/alert_channel.ts";
import { WebhookChannel } from "../../../core/alerts/channels/webhook_channel.ts";
import { channelRejection } from "../../core/alerts/channel_rejection.ts";
import { makeAlert } from "../../core/alerts/make_alert.ts";

const SECRET = "a webhook secret of 32 characters";
const NOW = new Date("2026-12-01T14:05:00.000Z");

interface Received {
  path: string;
  headers: Headers;
  body: string;
}

/** A local receiver answering each request with the next status of `statuses` (then 200). */
function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const controller = new AbortController();
  // /hang answers only when the receiver stops: a receiver that never replies in time.
  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/hang") {
        await stopped;
        return new Response(null, { status: 200 });
      }
      received.push({ path, headers: request.headers, body: await request.text() });
      if (path === "/moved") {
        return new Response(null, { status: 302, headers: { location: "/final" } });
      }
      return new Response("ok", { status: statuses.shift() ?? 200 });
    },
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    base,
    received,
    async [Symbol.asyncDispose]() {
      stop();
      controller.abort();
      await server.finished;
    },
  };
}

function channel(url: string, fields: Record<string, unknown> = {}): WebhookChannel {
  const config = parseChannelConfig({ type: "webhook", url, ...fields }) as WebhookChannelConfig;
  return new WebhookChannel(config, { now: () => NOW });
}

Deno.test("WebhookChannel signs the JSON alert with HMAC-SHA256 over timestamp and body", async () => {
  await using receiver = startReceiver();
  const alert = makeAlert();
  await channel(`${receiver.base}/alerts`, { secret: SECRET }).send(alert);
  const [request] = receiver.received;
  assert.equal(request.path, "/alerts");
  assert.equal(request.headers.get("content-type"), "application/json");
  assert.equal(request.headers.get("idempotency-key"), alert.id);
  assert.equal(request.headers.get("x-decnet-alert-id"), alert.id);
  const timestamp = request.headers.get("x-decnet-timestamp");
  assert.equal(timestamp, String(NOW.getTime() / 1000));
  const expected = createHmac("sha256", SECRET).update(`${timestamp}.${request.body}`).digest(
    "hex",
  );
  assert.equal(request.headers.get("x-decnet-signature"), `sha256=${expected}`);
  const body = JSON.parse(request.body);
  assert.deepEqual(body, { ...alert, credential: { secret_kind: "password", secret: "[masked]" } });
});

Deno.test("WebhookChannel sends the secret in full only when the channel includes secrets", async () => {
  await using receiver = startReceiver();
  await channel(receiver.base, { include_secrets: true }).send(makeAlert());
  assert.equal(JSON.parse(receiver.received[0].body).credential.secret, "hunter2");
  assert.equal(
    receiver.received[0].headers.get("x-decnet-signature"),
    null,
    "no secret, no signature",
  );
});

Deno.test("WebhookChannel payload shapes", async (t) => {
  await using receiver = startReceiver();
  const alert = makeAlert({ user_agent: "<!channel> `x` *bold* https://evil.example" });
  const sent = async (format: string) => {
    receiver.received.length = 0;
    await channel(receiver.base, { format }).send(alert);
    return JSON.parse(receiver.received[0].body);
  };
  await t.step("slack: Block Kit with fallback text, fields and a dashboard button", async () => {
    const body = await sent("slack");
    assert.equal(body.text, alert.title);
    assert.deepEqual(body.blocks.map((b: { type: string }) => b.type), [
      "header",
      "section",
      "section",
      "actions",
    ]);
    const fields: string = body.blocks[2].text.text;
    assert.match(
      fields,
      /\*Token:\* 5f0c1a52-1111-4a43-9c7e-2f1d7a5e9b10 \(http\) on web01 at \/home\/ann\/passwords\.docx/,
    );
    assert.match(fields, /\*Source:\* 192\.0\.2\.7:40123/);
    assert.match(fields, /\*Credential:\* `password \[masked\]`/);
    assert.ok(
      fields.includes("*User agent:* `&lt;!channel&gt; \u02cbx\u02cb *bold* https://evil.example`"),
      fields,
    );
    assert.equal(body.blocks[3].elements[0].url, alert.dashboard_url);
  });
  await t.step("mattermost: markdown text and an attachment with fields", async () => {
    const body = await sent("mattermost");
    assert.match(body.text, /^#### Canary token triggered on web01\n/);
    const [attachment] = body.attachments;
    assert.equal(attachment.title_link, alert.dashboard_url);
    assert.equal(attachment.color, "#E8590C");
    const ua = attachment.fields.find((f: { title: string }) => f.title === "User agent");
    assert.equal(ua.value, "`<!channel> \u02cbx\u02cb *bold* https://evil.example`");
    const source = attachment.fields.find((f: { title: string }) => f.title === "Source");
    assert.equal(source.value, "192.0.2.7:40123");
  });
  await t.step("teams: a message with an Adaptive Card", async () => {
    const body = await sent("teams");
    assert.equal(body.type, "message");
    const [attachment] = body.attachments;
    assert.equal(attachment.contentType, "application/vnd.microsoft.card.adaptive");
    const card = attachment.content;
    assert.equal(card.type, "AdaptiveCard");
    assert.equal(card.version, "1.4");
    assert.deepEqual(card.body.map((b: { type: string }) => b.type), [
      "TextBlock",
      "TextBlock",
      "FactSet",
    ]);
    const ua = card.body[2].facts.find((f: { title: string }) => f.title === "User agent");
    assert.equal(ua.value, "\\<\\!channel\\> \\`x\\` \\*bold\\* https://evil.example");
    assert.deepEqual(card.actions, [
      { type: "Action.OpenUrl", title: "Open in dashboard", url: alert.dashboard_url },
    ]);
  });
});

Deno.test("WebhookChannel failures: which are retryable", async (t) => {
  await using receiver = startReceiver([500, 503, 429, 408, 404, 400]);
  const hook = channel(`${receiver.base}/hook`);
  for (
    const [status, retryable] of [
      [500, true],
      [503, true],
      [429, true],
      [408, true],
      [404, false],
      [400, false],
    ] as const
  ) {
    await t.step(`${status} is ${retryable ? "" : "not "}retryable`, async () => {
      const e = await channelRejection(hook.send(makeAlert()));
      assert.equal(e.retryable, retryable);
      assert.match(e.reason, new RegExp(`answered ${status}`));
    });
  }
  await t.step("a redirect is not followed", async () => {
    receiver.received.length = 0;
    const e = await channelRejection(channel(`${receiver.base}/moved`).send(makeAlert()));
    assert.equal(e.retryable, false);
    assert.match(e.reason, /302.*not followed/);
    assert.deepEqual(receiver.received.map((r) => r.path), ["/moved"]);
  });
  await t.step("a receiver that does not answer in time is retryable", async () => {
    const e = await channelRejection(
      channel(`${receiver.base}/hang`, { timeout_ms: 200 }).send(makeAlert()),
    );
    assert.equal(e.retryable, true);
    assert.match(e.reason, /timed out after 200 ms/);
  });
});

Deno.test("WebhookChannel: a refused connection is retryable and its reason hides the URL's path", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const e = await channelRejection(
    channel(`http://127.0.0.1:${port}/hooks/T000/SECRETPATH`).send(makeAlert()),
  );
  assert.equal(e.retryable, true);
  assert.match(e.reason, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.doesNotMatch(e.reason, /SECRETPATH/);
});
