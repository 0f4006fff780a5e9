import assert from "node:assert/strict";
import { plantContainer } from "../../canary/mod.ts";
import { fileContainerFor } from "../../core/orchestrator/mod.ts";
import { SENSOR_IMAGE } from "../../core/fleet/mod.ts";

const decky = {
  uuid: "u",
  name: "ws-01",
  source: "fleet" as const,
  hostUuid: "local",
  services: ["ssh", "http"],
  ip: null,
  osPersona: null,
  images: { base: "debian:12", ssh: SENSOR_IMAGE, http: "nginx:1.27" },
};

Deno.test("plantContainer() and fileContainerFor() target the base when the sensor serves the service", () => {
  assert.equal(plantContainer(decky), "ws-01", "the sensor container has no shell");
  assert.equal(fileContainerFor(decky), "ws-01");
  const operator = { ...decky, images: { ...decky.images, ssh: "example/openssh:9.2" } };
  assert.equal(plantContainer(operator), "ws-01-ssh");
  assert.equal(fileContainerFor(operator), "ws-01-ssh");
});
