import assert from "node:assert/strict";
import { validatePlacementPath } from "../../canary/mod.ts";

Deno.test("validatePlacementPath() accepts absolute paths", async (t) => {
  for (
    const p of [
      "/home/jdoe/.aws/credentials",
      "~/Documents/q3.docx",
      "C:\\Users\\jdoe\\Desktop\\a.pdf",
    ]
  ) {
    await t.step(p, () => assert.equal(validatePlacementPath(p), p));
  }
});

Deno.test("validatePlacementPath() names the reason of each refusal", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["empty", "", /empty/],
    ["relative", "docs/a.txt", /absolute/],
    ["NUL", "/tmp/a\0b", /NUL, CR or LF/],
    ["newline", "/tmp/a\nb", /NUL, CR or LF/],
    ["dot-dot", "/home/jdoe/../root/.ssh/id", /'\.\.' segment/],
    ["windows dot-dot", "C:\\Users\\..\\Windows\\x", /'\.\.' segment/],
    ["too long", "/" + "a".repeat(1024), /longer than 1024/],
    ["escape", "/tmp/\u001b[31mred", /control character/],
    ["tab", "/tmp/a\tb", /control character/],
    ["markup", "/var/www/<script>x</script>", /'<' or '>'/],
  ];
  for (const [name, path, reason] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => validatePlacementPath(path),
        (e) => e instanceof TypeError && reason.test(e.message),
      );
    });
  }
});

Deno.test("validatePlacementPath() cuts a long value in its message", () => {
  assert.throws(
    () => validatePlacementPath("/" + "a".repeat(5000)),
    (e) => e instanceof TypeError && e.message.length < 200 && /5001 characters/.test(e.message),
  );
});
