import assert from "node:assert/strict";
import { runCli } from "../../cli/mod.ts";

const SLUG = "Ab3dEfGh1jKlMn_pQr-tUv";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "canary-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("canary generate writes the artifact with its mode and date", async () => {
  await inTempDir(async (dir) => {
    const file = `${dir}/credentials`;
    const code = await runCli([
      "canary",
      "generate",
      "aws_creds",
      "--slug",
      SLUG,
      "--http-base",
      "https://cdn.example.net",
      "--issued-at",
      "2026-03-10T12:00:00Z",
      "-o",
      file,
      "--json",
    ]);
    assert.equal(code, 0);
    const info = await Deno.stat(file);
    assert.equal(info.mode! & 0o777, 0o600);
    assert.ok(info.mtime!.getTime() < Date.parse("2026-03-10T12:00:00Z"));
    assert.match(await Deno.readTextFile(file), /^\[default\]\naws_access_key_id = AKIA/);
  });
});

Deno.test("canary generate gives the same bytes twice", async () => {
  await inTempDir(async (dir) => {
    for (const out of ["a", "b"]) {
      const code = await runCli([
        "canary",
        "generate",
        "honeydoc_docx",
        "--slug",
        SLUG,
        "--http-base",
        "http://192.0.2.1",
        "--persona",
        "windows",
        "-o",
        `${dir}/${out}`,
        "--json",
      ]);
      assert.equal(code, 0);
    }
    assert.deepEqual(await Deno.readFile(`${dir}/a`), await Deno.readFile(`${dir}/b`));
  });
});

Deno.test("canary instrument writes the instrumented file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/deploy.sh`, "#!/bin/sh\necho hi\n");
    const code = await runCli([
      "canary",
      "instrument",
      `${dir}/deploy.sh`,
      "--slug",
      SLUG,
      "--http-base",
      "https://cdn.example.net",
      "-o",
      `${dir}/out.sh`,
      "--json",
    ]);
    assert.equal(code, 0);
    assert.match(
      await Deno.readTextFile(`${dir}/out.sh`),
      new RegExp(`\\n# .* https://cdn\\.example\\.net/c/${SLUG}\\n$`),
    );
  });
});

Deno.test("canary generators lists every generator", async () => {
  assert.equal(await runCli(["canary", "generators", "--json"]), 0);
});

Deno.test("canary commands exit 2 on bad arguments", async (t) => {
  await inTempDir(async (dir) => {
    const base = ["--http-base", "https://cdn.example.net", "-o", `${dir}/x`];
    const cases: [string, string[]][] = [
      ["unknown generator", ["canary", "generate", "nope", "--slug", SLUG, ...base]],
      ["short slug", ["canary", "generate", "aws_creds", "--slug", "abc", ...base]],
      ["query string", [
        "canary",
        "generate",
        "aws_creds",
        "--slug",
        SLUG,
        "--http-base",
        "https://x/?a=1",
        "-o",
        `${dir}/x`,
      ]],
      // DECNET_CANARY_DNS_ZONE's limit (room for the slug label), not DNS's 253.
      ["zone too long", [
        "canary",
        "generate",
        "mysql_dump",
        "--slug",
        SLUG,
        "--dns-zone",
        `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(30)}`,
        ...base,
      ]],
      ["bad login", [
        "canary",
        "generate",
        "ssh_key",
        "--slug",
        SLUG,
        "--login",
        "../root",
        ...base,
      ]],
      ["markup in the name", [
        "canary",
        "generate",
        "honeydoc",
        "--slug",
        SLUG,
        "--name",
        "<script>x</script>",
        ...base,
      ]],
      ["missing zone", ["canary", "generate", "mysql_dump", "--slug", SLUG, ...base]],
      ["bad zone", [
        "canary",
        "generate",
        "mysql_dump",
        "--slug",
        SLUG,
        "--dns-zone",
        "bad_zone!",
        ...base,
      ]],
      ["bad persona", [
        "canary",
        "generate",
        "aws_creds",
        "--slug",
        SLUG,
        "--persona",
        "mac",
        ...base,
      ]],
      ["missing output", [
        "canary",
        "generate",
        "aws_creds",
        "--slug",
        SLUG,
        "--http-base",
        "https://x",
      ]],
      ["missing input", ["canary", "instrument", `${dir}/none`, "--slug", SLUG, ...base]],
    ];
    for (const [name, args] of cases) {
      await t.step(name, async () => {
        assert.equal(await runCli(args), 2);
      });
    }
  });
});

Deno.test("canary generate drops a trailing slash of --http-base as DECNET_CANARY_HTTP_BASE does", async () => {
  await inTempDir(async (dir) => {
    const code = await runCli([
      "canary",
      "generate",
      "env_file",
      "--slug",
      SLUG,
      "--http-base",
      "https://cdn.example.net/",
      "--dns-zone",
      "T.Example.NET.",
      "-o",
      `${dir}/env`,
      "--json",
    ]);
    assert.equal(code, 0);
    const text = await Deno.readTextFile(`${dir}/env`);
    assert.ok(text.includes(`https://cdn.example.net/c/${SLUG}`), text);
    assert.ok(!text.includes("net//c/"), text);
  });
});
