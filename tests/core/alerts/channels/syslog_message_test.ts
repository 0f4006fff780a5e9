import assert from "node:assert/strict";
import { ALERT_SD_ID, syslogMessage } from "../../../../core/alerts/channels/syslog_message.ts";
import { makeAlert } from "../make_alert.ts";
import { parseRfc5424 } from "./syslog_parsers.ts";

const CONFIG = {
  facility: "local4",
  app_name: "decnet",
  hostname: undefined,
  format: "json",
  include_secrets: false,
} as const;
const NOW = new Date("2026-12-01T14:05:00.000Z");

Deno.test("syslogMessage() writes an RFC 5424 header with PRI from facility and severity", () => {
  const m = parseRfc5424(syslogMessage(makeAlert({ severity: "critical" }), CONFIG, { now: NOW }));
  assert.equal(m.pri, 20 * 8 + 2);
  assert.equal(m.version, 1);
  assert.equal(m.timestamp, "2026-12-01T14:05:00.000Z");
  assert.equal(m.hostname, "-");
  assert.equal(m.appName, "decnet");
  assert.equal(m.procId, "-");
  assert.equal(m.msgId, "canary_triggered");
});

Deno.test('syslogMessage() escapes " \\ ] in SD values and control characters', () => {
  const alert = makeAlert({ user_agent: 'a"b\\c]d\r\ne', username: "[root]" });
  const line = syslogMessage(alert, CONFIG, { now: NOW });
  assert.ok(line.includes('user_agent="a\\"b\\\\c\\]d\\\\x0d\\\\x0ae"'), line);
  const sd = parseRfc5424(line).sd[ALERT_SD_ID];
  assert.equal(sd.user_agent, 'a"b\\c]d\\x0d\\x0ae');
  assert.equal(sd.username, "[root]");
  assert.equal(JSON.parse(parseRfc5424(line).msg).user_agent, alert.user_agent);
});

Deno.test("syslogMessage() masks the credential in SD and body unless secrets are included", () => {
  const masked = syslogMessage(makeAlert(), CONFIG, { now: NOW });
  assert.doesNotMatch(masked, /hunter2/);
  const full = parseRfc5424(
    syslogMessage(makeAlert(), { ...CONFIG, include_secrets: true }, { now: NOW }),
  );
  assert.equal(full.sd[ALERT_SD_ID].credential_secret, "hunter2");
  assert.equal(JSON.parse(full.msg).credential.secret, "hunter2");
});

Deno.test("syslogMessage() carries a CEF body when the format says so", () => {
  const m = parseRfc5424(syslogMessage(makeAlert(), { ...CONFIG, format: "cef" }, { now: NOW }));
  assert.match(m.msg, /^CEF:0\|decnet\|decnet\|/);
});
