import assert from "node:assert/strict";
import { readTar, writeTar } from "../../../core/backup/tar_archive.ts";

const long = `${"d".repeat(120)}/${"f".repeat(90)}`;
const entries = [
  { path: "a.txt", mode: 0o640, data: new TextEncoder().encode("hello\n") },
  { path: "empty", mode: 0o600, data: new Uint8Array() },
  { path: long, mode: 0o644, data: new Uint8Array(1025).fill(7) },
];

Deno.test("writeTar/readTar round-trip paths (ustar prefix past 100 bytes), modes and data", () => {
  assert.deepEqual(readTar(writeTar(entries, 1_700_000_000)), entries);
});

Deno.test("GNU tar reads what writeTar writes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tar-" });
  try {
    await Deno.writeFile(`${dir}/x.tar`, writeTar(entries, 0));
    const out = await new Deno.Command("tar", { args: ["-tvf", `${dir}/x.tar`], stdout: "piped" })
      .output();
    assert.ok(out.success);
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    assert.deepEqual(lines.map((l) => l.split(/\s+/).at(-1)), entries.map((e) => e.path));
    assert.match(lines[0], /^-rw-r----- /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTar names the offset of a corrupt header and a truncated entry", () => {
  const tar = writeTar(entries, 0);
  const corrupt = tar.slice();
  corrupt[512 + 512] ^= 1; // second header (a.txt's data fills one block)
  assert.throws(() => readTar(corrupt), /tar header at byte 1024: bad checksum/);
  assert.throws(() => readTar(tar.slice(0, 512 * 5)), /tar entry f+: truncated/);
});
