import assert from "node:assert/strict";
import { dashboardUrl } from "../../../core/alerts/dashboard_url.ts";

Deno.test("dashboardUrl() joins the base URL (with or without a path prefix) and a page path", () => {
  assert.equal(
    dashboardUrl("https://soc.example.org", "/attackers/42"),
    "https://soc.example.org/attackers/42",
  );
  assert.equal(
    dashboardUrl("https://soc.example.org/decnet/", "/canary/x"),
    "https://soc.example.org/decnet/canary/x",
  );
  assert.equal(dashboardUrl("http://192.0.2.1:8080/d", "fleet"), "http://192.0.2.1:8080/d/fleet");
});

Deno.test("dashboardUrl() refuses a base that is not an absolute http(s) URL", () => {
  assert.throws(
    () => dashboardUrl("soc.example.org", "/x"),
    /expected an absolute URL, got "soc.example.org"/,
  );
  assert.throws(() => dashboardUrl("ftp://soc.example.org", "/x"), /expected http\(s\)/);
});
