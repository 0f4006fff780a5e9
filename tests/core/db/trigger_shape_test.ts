import assert from "node:assert/strict";
import { triggerShape } from "../../../core/db/mod.ts";

const http = {
  method: "GET",
  requestPath: "/c/abc/info/refs?service=git-upload-pack",
  userAgent: "git/2.39",
  dnsQname: null,
  dnsClientSubnet: null,
  headers: {},
};
const dns = {
  method: null,
  requestPath: null,
  userAgent: null,
  dnsQname: "Host1.AbC.t.example.net",
  dnsClientSubnet: null,
  headers: { qtype: "A", transport: "udp" },
};

Deno.test("triggerShape() makes HTTP hits equal when only the query string differs", () => {
  assert.equal(triggerShape(http), triggerShape({ ...http, requestPath: "/c/abc/info/refs?x=1" }));
  assert.notEqual(triggerShape(http), triggerShape({ ...http, method: "POST" }));
  assert.notEqual(triggerShape(http), triggerShape({ ...http, requestPath: "/c/abc/HEAD" }));
  assert.notEqual(triggerShape(http), triggerShape({ ...http, userAgent: "curl/8.0" }));
});

Deno.test("triggerShape() makes DNS hits equal across letter case and transport", () => {
  const tcp = {
    ...dns,
    dnsQname: "host1.abc.T.EXAMPLE.NET",
    headers: { qtype: "A", transport: "tcp" },
  };
  assert.equal(triggerShape(dns), triggerShape(tcp));
  assert.notEqual(triggerShape(dns), triggerShape({ ...dns, headers: { qtype: "AAAA" } }));
  assert.notEqual(triggerShape(dns), triggerShape({ ...dns, dnsQname: "host2.abc.t.example.net" }));
  assert.notEqual(triggerShape(dns), triggerShape({ ...dns, dnsClientSubnet: "203.0.113.0/24" }));
});
