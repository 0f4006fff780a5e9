import assert from "node:assert/strict";
import { classifySequence, IP_ID_MODULUS, ISN_MODULUS } from "../../../core/sniffer/mod.ts";

Deno.test("classifySequence() classifies every case of the issue", async (t) => {
  const cases: [string, number[], number, string][] = [
    ["empty", [], IP_ID_MODULUS, "unknown"],
    ["3 samples", [1, 2, 3], IP_ID_MODULUS, "unknown"],
    ["all zero", [0, 0, 0, 0, 0], IP_ID_MODULUS, "zero"],
    ["constant", [7, 7, 7, 7], IP_ID_MODULUS, "constant"],
    ["+1 steps", [100, 101, 102, 103, 104], IP_ID_MODULUS, "incremental"],
    ["small jumps", [100, 130, 1100, 5196], IP_ID_MODULUS, "incremental"],
    ["step of exactly 4096", [0, 4096, 8192, 12288], IP_ID_MODULUS, "incremental"],
    ["step of 4097", [0, 4097, 8194, 12291], IP_ID_MODULUS, "random"],
    ["decreasing", [500, 499, 498, 497], IP_ID_MODULUS, "random"],
    ["16-bit wrap", [65534, 65535, 0, 1, 2], IP_ID_MODULUS, "incremental"],
    ["32-bit ISN wrap", [4294967290, 4294967295, 3, 100], ISN_MODULUS, "incremental"],
    ["16-bit wrap read as 32-bit", [65534, 65535, 0, 1], ISN_MODULUS, "random"],
    ["one huge jump", [10, 11, 12, 40000, 40001], IP_ID_MODULUS, "random"],
    ["constant with an outlier", [9, 9, 9, 31337, 9, 9], IP_ID_MODULUS, "random"],
    ["zeros with one nonzero", [0, 0, 5, 0], IP_ID_MODULUS, "random"],
    ["random ISNs", [3002630513, 1471894510, 2050293845, 1370833899], ISN_MODULUS, "random"],
  ];
  for (const [name, samples, modulus, expected] of cases) {
    await t.step(name, () => assert.equal(classifySequence(samples, modulus), expected));
  }
});
