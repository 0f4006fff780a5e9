import assert from "node:assert/strict";
import { alertText } from "../../../../core/alerts/channels/alert_text.ts";
import { maskAlertSecrets } from "../../../../core/alerts/channels/mask_alert_secrets.ts";
import { makeAlert } from "../make_alert.ts";

Deno.test("alertText() says what, when, which token where, the source and its links", () => {
  const text = alertText(maskAlertSecrets(makeAlert(), false));
  assert.equal(
    text,
    `Canary token triggered on web01

The HTTP token in /home/ann/passwords.docx was opened from 192.0.2.7

What:       canary triggered (severity high)
When:       2026-12-01T14:00:00.000Z
Token:      5f0c1a52-1111-4a43-9c7e-2f1d7a5e9b10 (http) on web01 at /home/ann/passwords.docx planted 2026-11-30T09:15:00.000Z
Decky:      web01 (http)
Source:     192.0.2.7:40123
Attacker:   https://decnet.example.org/attackers/42
User agent: curl/8.0 "x" ] \\ | = [y]
Request:    GET /c/abc?a=b|c
DNS name:   abc.canary.example.org
User name:  admin=root|x
Credential: password [masked]
Campaign:   c7
Suppressed: 3 similar alerts suppressed since the previous one
Rule:       tokens
Dashboard:  https://decnet.example.org/canary/5f0c1a52-1111-4a43-9c7e-2f1d7a5e9b10
Alert id:   0b9f2c1e-7d1a-4a43-9c7e-2f1d7a5e9b10
`,
  );
});

Deno.test("alertText() shows hashes masked, and in full only from an unmasked alert", () => {
  const alert = makeAlert({
    credential: {
      secret_kind: "ntlmssp_v2",
      secret: "0101000000",
      domain: "CORP",
      hashcat_mode: 5600,
      hashcat_line: "bob::CORP:1122:abcd:0101000000",
    },
  });
  const masked = alertText(maskAlertSecrets(alert, false));
  assert.match(
    masked,
    /Credential: ntlmssp_v2 \[masked\] \(domain CORP\)\nHashcat: {4}-m 5600 \[masked\]/,
  );
  assert.doesNotMatch(masked, /0101000000/);
  assert.match(alertText(maskAlertSecrets(alert, true)), /Hashcat: {4}-m 5600 bob::CORP:1122/);
});

Deno.test("alertText() escapes control characters an attacker put in a field", () => {
  const text = alertText(makeAlert({ user_agent: "evil\r\nRule: none\x1b[2J" }));
  assert.match(text, /User agent: evil\\x0d\\x0aRule: none\\x1b\[2J\n/);
});

Deno.test("alertText() leaves out fields the alert does not have, and IPv6 sources are bracketed", () => {
  const text = alertText({
    id: "x",
    kind: "first_contact",
    severity: "low",
    occurred_at: "2026-12-01T14:00:00.000Z",
    title: "New attacker",
    summary: "First contact from 2001:db8::7",
    src_ip: "2001:db8::7",
    src_port: 5555,
    suppressed_count: 1,
  });
  assert.equal(
    text.split("\n\n")[2],
    `What:       first contact (severity low)
When:       2026-12-01T14:00:00.000Z
Source:     [2001:db8::7]:5555
Suppressed: 1 similar alert suppressed since the previous one
Alert id:   x
`,
  );
});
