import type { Alert } from "../../../core/alerts/alert.ts";

/**
 * A valid alert with every field set (a canary HTTP hit with a captured
 * password), overridable per test. Attacker-chosen fields carry the
 * characters each format must escape.
 */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: "0b9f2c1e-7d1a-4a43-9c7e-2f1d7a5e9b10",
    kind: "canary_triggered",
    severity: "high",
    occurred_at: "2026-12-01T14:00:00.000Z",
    title: "Canary token triggered on web01",
    summary: "The HTTP token in /home/ann/passwords.docx was opened from 192.0.2.7",
    rule: "tokens",
    token: {
      uuid: "5f0c1a52-1111-4a43-9c7e-2f1d7a5e9b10",
      kind: "http",
      decky: "web01",
      placement_path: "/home/ann/passwords.docx",
      planted_at: "2026-11-30T09:15:00.000Z",
    },
    decky: "web01",
    service: "http",
    src_ip: "192.0.2.7",
    src_port: 40123,
    attacker_id: 42,
    attacker_url: "https://decnet.example.org/attackers/42",
    user_agent: 'curl/8.0 "x" ] \\ | = [y]',
    request_method: "GET",
    request_path: "/c/abc?a=b|c",
    dns_name: "abc.canary.example.org",
    username: "admin=root|x",
    credential: { secret_kind: "password", secret: "hunter2" },
    campaign_id: "c7",
    dashboard_url: "https://decnet.example.org/canary/5f0c1a52-1111-4a43-9c7e-2f1d7a5e9b10",
    suppressed_count: 3,
    ...overrides,
  };
}
