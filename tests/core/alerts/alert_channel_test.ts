import assert from "node:assert/strict";
import {
  ChannelConfigError,
  channelDestinations,
  channelFiles,
  parseChannelConfig,
} from "../../../core/alerts/alert_channel.ts";

function issuesOf(input: unknown): Record<string, string> {
  try {
    parseChannelConfig(input);
  } catch (e) {
    if (!(e instanceof ChannelConfigError)) throw e;
    return Object.fromEntries(e.issues.map((i) => [i.field, i.message]));
  }
  assert.fail("expected a ChannelConfigError");
}

Deno.test("parseChannelConfig() fills in defaults", () => {
  assert.deepEqual(
    { ...parseChannelConfig({ type: "syslog", transport: "tcp", host: "siem.lan", port: 6514 }) },
    {
      type: "syslog",
      transport: "tcp",
      host: "siem.lan",
      port: 6514,
      format: "json",
      facility: "local0",
      app_name: "decnet",
      timeout_ms: 10_000,
      include_secrets: false,
      event_stream: false,
      audit_log: false,
    },
  );
  const smtp = parseChannelConfig({
    type: "smtp",
    host: "192.0.2.25",
    port: 25,
    from: "decnet@example.org",
    to: ["soc@example.org"],
  });
  assert.equal(smtp.type === "smtp" && smtp.starttls, "optional");
});

Deno.test("parseChannelConfig() takes the feeds and a webhook's CA file only for https", () => {
  const feeds = parseChannelConfig({
    type: "file",
    path: "/var/log/decnet/all.jsonl",
    event_stream: true,
    audit_log: true,
  });
  assert.equal(feeds.event_stream, true);
  assert.equal(feeds.audit_log, true);
  const https = parseChannelConfig({
    type: "webhook",
    url: "https://siem.lan:8443/in",
    ca_file: "/etc/decnet/siem-ca.pem",
  });
  assert.equal(https.type === "webhook" && https.ca_file, "/etc/decnet/siem-ca.pem");
  assert.deepEqual(channelFiles(https), { read: ["/etc/decnet/siem-ca.pem"], write: [] });
  assert.deepEqual(
    issuesOf({ type: "webhook", url: "http://siem.lan/in", ca_file: "/etc/ca.pem" }),
    { ca_file: "expected an https:// url with ca_file" },
  );
  assert.deepEqual(
    Object.keys(issuesOf({ type: "webhook", url: "https://s/", ca_file: "ca.pem" })),
    [
      "ca_file",
    ],
  );
  assert.deepEqual(Object.keys(issuesOf({ type: "file", path: "/x", event_stream: "yes" })), [
    "event_stream",
  ]);
});

Deno.test("parseChannelConfig() names every bad field and its value", () => {
  const issues = issuesOf({
    type: "syslog",
    transport: "sctp",
    host: "a b",
    port: 70000,
    extra: 1,
  });
  assert.deepEqual(Object.keys(issues).sort(), ["extra", "host", "port", "transport"]);
  assert.match(issues.transport, /"sctp"/);
  assert.match(issues.host, /"a b"/);
  assert.match(issues.port, /70000/);
  assert.equal(issues.extra, "unknown setting");
  assert.deepEqual(Object.keys(issuesOf({ type: "pager" })), ["type"]);
  assert.deepEqual(Object.keys(issuesOf(null)), ["channel"]);
});

Deno.test("parseChannelConfig() wants an IP address for UDP syslog, a name is fine over TCP", () => {
  assert.match(
    issuesOf({ type: "syslog", transport: "udp", host: "siem.lan", port: 514 }).host,
    /expected an IP address with transport udp/,
  );
  assert.ok(parseChannelConfig({ type: "syslog", transport: "tcp", host: "siem.lan", port: 514 }));
});

Deno.test("parseChannelConfig() refuses half credentials and bad addresses in SMTP", () => {
  const issues = issuesOf({
    type: "smtp",
    host: "relay.lan",
    port: 25,
    from: "a@b.lan",
    to: ["ok@b.lan", "x\r\nBcc: evil@b.lan"],
    username: "u",
  });
  assert.deepEqual(Object.keys(issues).sort(), ["password", "to.1"]);
});

Deno.test("parseChannelConfig() never quotes a secret, a password or a webhook URL", () => {
  const issues = issuesOf({
    type: "webhook",
    url: "https://user:hunter2@chat.lan/hooks/T000/B000/XXXX",
    secret: "hunter2",
  });
  assert.deepEqual(Object.keys(issues).sort(), ["secret", "url"]);
  assert.doesNotMatch(JSON.stringify(issues), /hunter2|XXXX/);
  assert.match(issuesOf({ type: "webhook", url: "ftp://chat.lan/" }).url, /http/);
});

Deno.test("parseChannelConfig() refuses relative and parent-walking file paths", () => {
  assert.ok(issuesOf({ type: "file", path: "alerts.jsonl" }).path);
  assert.ok(issuesOf({ type: "file", path: "/var/log/../../etc/x" }).path);
});

Deno.test("channelDestinations() gives the host:port the worker may reach", () => {
  assert.deepEqual(
    channelDestinations(parseChannelConfig({ type: "webhook", url: "https://chat.lan/hook" })),
    ["chat.lan:443"],
  );
  assert.deepEqual(
    channelDestinations(parseChannelConfig({ type: "webhook", url: "http://[2001:db8::1]:8080/" })),
    ["[2001:db8::1]:8080"],
  );
  assert.deepEqual(
    channelDestinations(
      parseChannelConfig({ type: "syslog", transport: "udp", host: "2001:db8::2", port: 514 }),
    ),
    ["[2001:db8::2]:514", "[::]:0"],
  );
  assert.deepEqual(
    channelDestinations(
      parseChannelConfig({ type: "syslog", transport: "tcp", host: "siem.lan", port: 6514 }),
    ),
    ["siem.lan:6514"],
  );
  assert.deepEqual(channelDestinations(parseChannelConfig({ type: "file", path: "/a.jsonl" })), []);
});

Deno.test("channelFiles() lists CA files read and the JSON-lines file written", () => {
  assert.deepEqual(
    channelFiles(
      parseChannelConfig({
        type: "syslog",
        transport: "tls",
        host: "siem.lan",
        port: 6514,
        ca_file: "/etc/ssl/siem-ca.pem",
      }),
    ),
    { read: ["/etc/ssl/siem-ca.pem"], write: [] },
  );
  assert.deepEqual(channelFiles(parseChannelConfig({ type: "file", path: "/var/a.jsonl" })), {
    read: [],
    write: ["/var/a.jsonl"],
  });
});
