import assert from "node:assert/strict";
import { plantContainer } from "../../canary/mod.ts";

Deno.test("plantContainer() picks where an intruder lands", async (t) => {
  await t.step("an explicit container wins", () => {
    assert.equal(plantContainer({ name: "ws-01", services: ["ssh"], container: "x" }), "x");
  });
  await t.step("ssh before other services", () => {
    assert.equal(plantContainer({ name: "ws-01", services: ["http", "ssh"] }), "ws-01-ssh");
  });
  await t.step("telnet, then ftp, then the first service", () => {
    assert.equal(plantContainer({ name: "db", services: ["mysql", "ftp"] }), "db-ftp");
    assert.equal(plantContainer({ name: "db", services: ["mysql", "http"] }), "db-mysql");
  });
  await t.step("the base container when there is no service", () => {
    assert.equal(plantContainer({ name: "bare", services: [] }), "bare");
  });
});
