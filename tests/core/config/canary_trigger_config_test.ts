import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../core/config/mod.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};

Deno.test("loadConfig() defaults the trigger rate, cap and retention", () => {
  const config = loadConfig({}, { readTextFile: noFile });
  assert.deepEqual(
    [config.canaryTriggerRate, config.canaryTriggerCap, config.canaryTriggerRetentionDays],
    [10, 100, 180],
  );
});

Deno.test("loadConfig() reads DECNET_CANARY_TRIGGER_* (0 turns each off; retention in days)", () => {
  const config = loadConfig({
    DECNET_CANARY_TRIGGER_RATE: "0",
    DECNET_CANARY_TRIGGER_CAP: "250",
    DECNET_CANARY_TRIGGER_RETENTION: "90d",
  }, { readTextFile: noFile });
  assert.deepEqual(
    [config.canaryTriggerRate, config.canaryTriggerCap, config.canaryTriggerRetentionDays],
    [0, 250, 90],
  );
  assert.equal(
    loadConfig({ DECNET_CANARY_TRIGGER_RETENTION: "0" }, { readTextFile: noFile })
      .canaryTriggerRetentionDays,
    0,
  );
});

Deno.test("loadConfig() refuses a bad trigger rate, cap or retention, naming each", () => {
  try {
    loadConfig({
      DECNET_CANARY_TRIGGER_RATE: "-1",
      DECNET_CANARY_TRIGGER_CAP: "lots",
      DECNET_CANARY_TRIGGER_RETENTION: "6 months",
    }, { readTextFile: noFile });
    assert.fail("expected ConfigError");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /DECNET_CANARY_TRIGGER_RATE: expected 0-1000000, got "-1"/);
    assert.match(
      e.message,
      /DECNET_CANARY_TRIGGER_CAP: expected a whole number 0-1000000, got "lots"/,
    );
    assert.match(
      e.message,
      /DECNET_CANARY_TRIGGER_RETENTION: expected a whole number 0-36500, got "6 months"/,
    );
  }
});
