import assert from "node:assert/strict";
import { windowsServerNames } from "../../../../core/sensor/rdp/windows_server_names.ts";

Deno.test("windowsServerNames() gives a workgroup server's computer name as all four names", () => {
  assert.deepEqual(windowsServerNames("ts01"), {
    netbiosComputer: "TS01",
    netbiosDomain: "TS01",
    dnsComputer: "TS01",
    dnsDomain: "TS01",
  });
});

Deno.test("windowsServerNames() gives a domain member's DNS names and NetBIOS domain", () => {
  assert.deepEqual(windowsServerNames("TS01.Corp.Example"), {
    netbiosComputer: "TS01",
    netbiosDomain: "CORP",
    dnsComputer: "ts01.corp.example",
    dnsDomain: "corp.example",
  });
});

Deno.test("windowsServerNames() cuts NetBIOS names to 15 characters", () => {
  assert.equal(windowsServerNames("a-very-long-computer-name").netbiosComputer, "A-VERY-LONG-COM");
});
