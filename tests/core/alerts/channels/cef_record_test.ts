import assert from "node:assert/strict";
import { cefRecord } from "../../../../core/alerts/channels/cef_record.ts";
import { makeAlert } from "../make_alert.ts";
import { parseCef } from "./syslog_parsers.ts";

Deno.test("cefRecord() escapes | and \\ in the header, = and \\ and line breaks in extensions", () => {
  const alert = makeAlert({
    title: "a|b\\c\nd",
    summary: "line1\nline2 k=v \\ end",
    username: "x=y",
  });
  const record = cefRecord(alert);
  assert.ok(record.startsWith("CEF:0|decnet|decnet|"));
  assert.ok(record.includes("|a\\|b\\\\c\\\\x0ad|8|"), record);
  assert.ok(record.includes("msg=line1\\nline2 k\\=v \\\\ end "), record);
  assert.ok(record.includes("suser=x\\=y "), record);
  const parsed = parseCef(record);
  assert.equal(parsed.header[5], "a|b\\c\\x0ad");
  assert.equal(parsed.extensions.msg, "line1\nline2 k=v \\ end");
  assert.equal(parsed.extensions.suser, "x=y");
});

Deno.test("cefRecord() maps severities to 0-10 and IPv6 sources to c6a2", () => {
  const severities = ["info", "low", "medium", "high", "critical"] as const;
  assert.deepEqual(
    severities.map((severity) => parseCef(cefRecord(makeAlert({ severity }))).header[6]),
    ["1", "3", "5", "8", "10"],
  );
  const x = parseCef(cefRecord(makeAlert({ src_ip: "2001:db8::7" }))).extensions;
  assert.equal(x.src, undefined);
  assert.equal(x.c6a2, "2001:db8::7");
  assert.equal(x.c6a2Label, "Source IPv6 Address");
});

Deno.test("cefRecord() leaves out what the alert does not have", () => {
  const x = parseCef(
    cefRecord({
      id: "w1",
      kind: "worker_unhealthy",
      severity: "medium",
      occurred_at: "2026-12-01T14:00:00.000Z",
      title: "Worker collector unhealthy",
      summary: "No heartbeat for 90 s",
      worker: "collector",
      reason: "no heartbeat",
      suppressed_count: 0,
    }),
  ).extensions;
  assert.deepEqual(Object.keys(x).sort(), [
    "cat",
    "cn1",
    "cn1Label",
    "externalId",
    "msg",
    "reason",
    "rt",
  ]);
});
