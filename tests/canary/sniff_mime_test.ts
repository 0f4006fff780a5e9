import assert from "node:assert/strict";
import { sniffMime } from "../../canary/mod.ts";
import { makeDocx, makePdf, makePng, makeXlsx, readImageFixture } from "./_office_fixtures.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("sniffMime() recognises uploads by magic bytes", async (t) => {
  const cases: [string, Uint8Array, string, string | undefined][] = [
    ["PNG", makePng(), "image/png", "image"],
    ["JPEG", await readImageFixture("tiny.jpg"), "image/jpeg", "image"],
    ["GIF", await readImageFixture("tiny.gif"), "image/gif", "image"],
    ["PDF", await makePdf(), "application/pdf", "pdf"],
    [
      "DOCX",
      await makeDocx(),
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "docx",
    ],
    [
      "XLSX",
      await makeXlsx(),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "xlsx",
    ],
    ["HTML", enc("<!DOCTYPE html><html></html>"), "text/html", "html"],
    ["XML", enc('<?xml version="1.0"?><a/>'), "application/xml", "plain"],
    ["other ZIP", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), "application/zip", undefined],
    ["binary", Uint8Array.from([1, 0, 2, 0]), "application/octet-stream", undefined],
  ];
  for (const [name, bytes, mime, instrumenter] of cases) {
    await t.step(name, () => {
      // A misleading name must not win over magic bytes.
      const got = sniffMime(bytes, "notes.txt");
      assert.equal(got.mime, mime);
      assert.equal(got.instrumenter, instrumenter);
    });
  }
});

Deno.test("sniffMime() names text types by file name", async (t) => {
  for (
    const [file, mime] of [
      ["a.json", "application/json"],
      ["a.yml", "application/yaml"],
      ["a.yaml", "application/yaml"],
      ["Cargo.toml", "application/toml"],
      ["notes.txt", "text/plain"],
      ["deploy.sh", "text/plain"],
    ]
  ) {
    await t.step(file, () => {
      assert.deepEqual(sniffMime(enc("key: value\n"), file), { mime, instrumenter: "plain" });
    });
  }
});
