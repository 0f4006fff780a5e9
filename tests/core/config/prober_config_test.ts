import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../core/config/mod.ts";
import { snifferProberConfig } from "../../../core/sniffer/sniffer_prober_config.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};

Deno.test("loadConfig() leaves the prober off, allowing nobody, unless told", () => {
  const config = loadConfig({}, { readTextFile: noFile });
  assert.deepEqual(
    [config.prober, config.proberAllow, config.proberPorts, config.proberRate],
    [false, [], [22, 80, 443], 6],
  );
  assert.equal(snifferProberConfig(config), null);
  const on = loadConfig({
    DECNET_PROBER: "on",
    DECNET_PROBER_ALLOW: "198.51.100.0/24, 203.0.113.9",
    DECNET_PROBER_PORTS: "8022,8023",
    DECNET_PROBER_RATE: "30",
  }, { readTextFile: noFile });
  assert.deepEqual(snifferProberConfig(on), {
    allow: ["198.51.100.0/24", "203.0.113.9"],
    ports: [8022, 8023],
    ratePerMinute: 30,
  });
});

Deno.test("loadConfig() names bad prober settings", () => {
  const bad = {
    DECNET_PROBER_ALLOW: "198.51.100.0/33",
    DECNET_PROBER_PORTS: "22,22",
    DECNET_PROBER_RATE: "0",
  };
  try {
    loadConfig(bad, { readTextFile: noFile });
    assert.fail("expected ConfigError");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.issues.map((i) => i.variable).sort(), Object.keys(bad).sort());
    assert.match(e.message, /DECNET_PROBER_PORTS: expected distinct ports, got "22,22"/);
  }
  for (const ports of ["0", "70000", Array.from({ length: 17 }, (_, i) => i + 1).join(",")]) {
    assert.throws(
      () => loadConfig({ DECNET_PROBER_PORTS: ports }, { readTextFile: noFile }),
      ConfigError,
      ports,
    );
  }
});
