import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../core/config/mod.ts";
import { runDecnet } from "../../infra/run_decnet.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};
const load = (env: Record<string, string>) => loadConfig(env, { readTextFile: noFile });

function issuesOf(env: Record<string, string>): Map<string, string> {
  try {
    load(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return new Map(e.issues.map((i) => [i.variable, i.message]));
  }
  assert.fail("expected ConfigError");
}

Deno.test("loadConfig() needs a DNS sinkhole when a DNS zone is set", async (t) => {
  await t.step("no zone: no sinkhole needed, DNS off", () => {
    const config = load({});
    assert.equal(config.canaryDnsZone, "");
    assert.equal(config.canaryDnsSinkhole, "");
  });
  await t.step("zone without sinkhole is refused, naming the variable", () => {
    const issues = issuesOf({ DECNET_CANARY_DNS_ZONE: "t.example.net" });
    assert.match(
      issues.get("DECNET_CANARY_DNS_SINKHOLE") ?? "",
      /Cannot read DECNET_CANARY_DNS_SINKHOLE: required when DECNET_CANARY_DNS_ZONE is set/,
    );
  });
  await t.step("the name server address defaults to the sinkhole", () => {
    const config = load({
      DECNET_CANARY_DNS_ZONE: "t.example.net",
      DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
    });
    assert.equal(config.canaryDnsSinkhole, "10.20.0.80");
    assert.equal(config.canaryDnsNsAddress, "10.20.0.80");
    const explicit = load({
      DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
      DECNET_CANARY_DNS_NS_ADDRESS: "10.20.0.53",
    });
    assert.equal(explicit.canaryDnsNsAddress, "10.20.0.53");
  });
});

Deno.test("loadConfig() refuses loopback and documentation DNS addresses unless allowed", async (t) => {
  for (const address of ["127.0.0.1", "192.0.2.1", "198.51.100.7", "203.0.113.9", "0.0.0.0"]) {
    await t.step(address, () => {
      const issues = issuesOf({
        DECNET_CANARY_DNS_SINKHOLE: address,
        DECNET_CANARY_DNS_NS_ADDRESS: address,
      });
      assert.match(issues.get("DECNET_CANARY_DNS_SINKHOLE") ?? "", /reserved/);
      assert.match(issues.get("DECNET_CANARY_DNS_NS_ADDRESS") ?? "", new RegExp(address));
    });
  }
  await t.step("DECNET_CANARY_ALLOW_LOCAL=true allows them (tests)", () => {
    const config = load({
      DECNET_CANARY_ALLOW_LOCAL: "true",
      DECNET_CANARY_DNS_SINKHOLE: "192.0.2.1",
      DECNET_CANARY_DNS_NS_ADDRESS: "127.0.0.1",
    });
    assert.equal(config.canaryDnsSinkhole, "192.0.2.1");
    assert.equal(config.canaryDnsNsAddress, "127.0.0.1");
  });
});

Deno.test("loadConfig() reads the DNS rate limit and the HTTP Server value", () => {
  const defaults = load({});
  assert.equal(defaults.canaryDnsRate, 200);
  assert.equal(defaults.canaryServerHeader, "nginx/1.22.1");
  assert.equal(load({ DECNET_CANARY_DNS_RATE: "0" }).canaryDnsRate, 0);
  assert.ok(issuesOf({ DECNET_CANARY_DNS_RATE: "fast" }).has("DECNET_CANARY_DNS_RATE"));
});

Deno.test("decnet exits 2 when a DNS zone is set without a sinkhole", async () => {
  const home = await Deno.makeTempDir({ prefix: "dns-config-" });
  try {
    const r = await runDecnet(["config", "show"], {
      home,
      env: { DECNET_CANARY_DNS_ZONE: "t.example.net" },
    });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /DECNET_CANARY_DNS_SINKHOLE: required when DECNET_CANARY_DNS_ZONE is set/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
