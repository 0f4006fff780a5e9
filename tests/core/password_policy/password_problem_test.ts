import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { passwordProblem } from "../../../core/password_policy/mod.ts";
import { COMMON_PASSWORDS_GZIP_BASE64 } from "../../../core/password_policy/_common_passwords.ts";
import {
  commonPasswordSource,
  renderCommonPasswordsModule,
} from "../../../tools/build_common_passwords.ts";

const COMMON = /10,000 most common/;

Deno.test("passwordProblem() accepts long uncommon passwords", () => {
  for (
    const ok of [
      "correct horse battery staple",
      "x8273649182736",
      "Tr0ub4dor&3-but-longer",
      "alice-password-1",
      "Grüße aus Köln 2026",
      "ÄÖÜäöüßÄÖÜäöü",
    ]
  ) {
    assert.equal(passwordProblem(ok), null, ok);
  }
});

Deno.test("passwordProblem() refuses passwords outside 12-1024 characters", () => {
  assert.equal(passwordProblem("short-pass1"), "expected at least 12 characters");
  // Characters, not UTF-16 units: 11 emoji are 22 units but still too short.
  assert.equal(passwordProblem("🔑".repeat(11)), "expected at least 12 characters");
  assert.equal(passwordProblem("x".repeat(1025)), "expected at most 1024 characters");
});

Deno.test("passwordProblem() refuses the 10,000 most common passwords, any case, with padding around them", () => {
  for (
    const weak of [
      "1qaz2wsx3edc", // on the list as is
      "QWERTYUIOP12",
      "Password2024!",
      "!!dragon123456",
      "iloveyou 1234",
      "monkey.......",
    ]
  ) {
    assert.match(passwordProblem(weak) ?? "", COMMON, weak);
  }
  // One fixed reason: it never repeats the password.
  assert.equal(passwordProblem("Password2024!"), passwordProblem("!!dragon123456"));
});

Deno.test("passwordProblem() refuses text that was not valid UTF-8 or holds an unpaired surrogate", () => {
  const lossy = new TextDecoder().decode(new Uint8Array([0x61, 0xff, ...Array(14).fill(0x62)]));
  assert.match(passwordProblem(lossy) ?? "", /valid UTF-8/);
  assert.match(passwordProblem(`abc\ud800defghijklmno`) ?? "", /valid UTF-8/);
});

Deno.test("core/password_policy/_common_passwords.ts holds the source's top 10,000 (else: deno run -A tools/build_common_passwords.ts)", () => {
  const shipped = new TextDecoder().decode(
    gunzipSync(Uint8Array.from(atob(COMMON_PASSWORDS_GZIP_BASE64), (c) => c.charCodeAt(0))),
  ).split("\n");
  const source = commonPasswordSource();
  assert.equal(shipped.length, 10_000);
  assert.deepEqual(shipped, source);
  assert.deepEqual(shipped.slice(0, 3), ["123456", "password", "12345678"]);
  const module = renderCommonPasswordsModule(source);
  assert.match(module, /\/\*! @zxcvbn-ts\/language-common 4\.1\.3 .*MIT License/);
});
