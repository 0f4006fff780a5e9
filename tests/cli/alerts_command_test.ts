import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { startWebhookReceiver } from "../core/alerts/_webhook_receiver.ts";

const SECRET = "a shared secret for tests";

Deno.test("decnet alerts: channels and rules from the CLI, bad input exits 2 naming the field, a test alert delivered by `alerts run`", async () => {
  const home = await Deno.makeTempDir();
  await using receiver = startWebhookReceiver({ secret: SECRET });
  try {
    const bad = await runDecnet([
      "alerts",
      "channels",
      "add",
      "siem",
      "--config",
      '{"type":"syslog","transport":"udp","host":"siem.lan","port":0}',
    ], { home });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /port: .*got 0/);

    const added = await runDecnet([
      "alerts",
      "channels",
      "add",
      "hook",
      "--config-file",
      "-",
      "--json",
    ], {
      home,
      stdin: JSON.stringify({ type: "webhook", url: receiver.url, secret: SECRET }),
    });
    assert.equal(added.code, 0, added.stderr);
    assert.equal(JSON.parse(added.stdout).config.secret, undefined);

    // The feeds: the event stream and the audit log, besides rule hits (the secret is kept).
    const feeds = await runDecnet(
      ["alerts", "channels", "feeds", "hook", "--event-stream", "on", "--audit-log", "off"],
      { home },
    );
    assert.equal(feeds.code, 0, feeds.stderr);
    assert.equal(feeds.stdout.trim(), "hook takes rule hits, the event stream");
    assert.equal((await runDecnet(["alerts", "channels", "feeds", "hook"], { home })).code, 2);
    const badFeed = await runDecnet(
      ["alerts", "channels", "feeds", "hook", "--audit-log", "maybe"],
      { home },
    );
    assert.equal(badFeed.code, 2);
    assert.match(badFeed.stderr, /audit-log/);
    const listed = await runDecnet(["alerts", "channels", "list"], { home });
    assert.match(listed.stdout, /hook .* enabled \(\+ the event stream\)/);

    const badRule = await runDecnet(
      [
        "alerts",
        "rules",
        "add",
        "r",
        "--events",
        "canary_triggered",
        "--channels",
        "hook",
        "--dedupe",
        "colour",
      ],
      { home },
    );
    assert.equal(badRule.code, 2);
    assert.match(badRule.stderr, /dedupe_by\.0/);
    const rule = await runDecnet(
      [
        "alerts",
        "rules",
        "add",
        "canaries",
        "--events",
        "canary_triggered",
        "--channels",
        "hook",
        "--throttle",
        "5m",
        "--json",
      ],
      { home },
    );
    assert.equal(rule.code, 0, rule.stderr);
    assert.equal(JSON.parse(rule.stdout).throttle_seconds, 300);
    const rules = JSON.parse(
      (await runDecnet(["alerts", "rules", "list", "--json"], { home })).stdout,
    );
    assert.deepEqual(rules.items.map((r: { name: string }) => r.name), ["canaries"]);
    const inUse = await runDecnet(["alerts", "channels", "remove", "hook"], { home });
    assert.equal(inUse.code, 1);
    assert.match(inUse.stderr, /used by rules: canaries/);

    await using worker = spawnDecnet(["alerts", "run"], { cwd: home, env: { DECNET_HOME: home } });
    const test = await runDecnet(["alerts", "channels", "test", "hook", "--wait", "60"], { home });
    assert.equal(test.code, 0, test.stderr);
    assert.match(test.stdout, /Test alert [0-9a-f-]{36}: delivered/);
    await waitUntil(() => receiver.processed.size === 1);
    const [alert] = receiver.processed.values();
    assert.equal(alert.kind, "test");
    assert.equal(alert.summary, "the CLI sent a test alert to channel hook; no bait was touched");
    await worker.close();
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
