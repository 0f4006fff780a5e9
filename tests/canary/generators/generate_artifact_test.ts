import assert from "node:assert/strict";
import JSZip from "jszip";
import { PDFDict, PDFDocument, PDFName, type PDFString } from "pdf-lib";
import { CanaryRequirementError, generateArtifact, GENERATOR_TABLE } from "../../../canary/mod.ts";
import { latin1, makeContext, runToolOn, xmlWellFormed } from "../_canary_fixtures.ts";

const NAMES = [...GENERATOR_TABLE.keys()];
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("generateArtifact() gives the same bytes for the same context", async (t) => {
  for (const name of NAMES) {
    await t.step(name, async () => {
      const a = await generateArtifact(name, makeContext());
      const b = await generateArtifact(name, makeContext());
      assert.deepEqual(a, b);
    });
  }
});

Deno.test("generateArtifact() gives different bytes for another slug", async (t) => {
  for (const name of NAMES) {
    await t.step(name, async () => {
      const a = await generateArtifact(name, makeContext());
      const b = await generateArtifact(name, makeContext({ slug: "Zz9yXw8vUt7sRq6pOn5mLk" }));
      assert.notDeepEqual(a.bytes, b.bytes);
    });
  }
});

Deno.test("generateArtifact() never writes the product name in any letter case", async (t) => {
  for (const name of NAMES) {
    for (const os of ["linux", "windows"] as const) {
      await t.step(`${name} ${os}`, async () => {
        const a = await generateArtifact(name, makeContext({ persona: { os } }));
        const unpacked = name === "honeydoc_docx"
          ? await Promise.all(
            Object.values((await JSZip.loadAsync(a.bytes)).files).map((f) => f.async("string")),
          )
          : [];
        for (const haystack of [latin1(a.bytes), a.defaultPath, a.notes, ...unpacked]) {
          assert.ok(!/decnet/i.test(haystack));
        }
      });
    }
  }
});

Deno.test("generateArtifact() dates the artifact backdate seconds before issuedAt", async (t) => {
  for (const name of NAMES) {
    await t.step(name, async () => {
      const a = await generateArtifact(name, makeContext());
      assert.equal(
        Date.parse(a.modifiedAt),
        Date.parse("2026-03-10T12:00:00Z") - a.backdate * 1000,
      );
      assert.ok(a.backdate >= 14 * 86400 && a.backdate < 400 * 86400);
    });
  }
});

Deno.test("generateArtifact() puts the callback where it must", async (t) => {
  const ctx = makeContext();
  const url = "https://cdn.example.net/c/Ab3dEfGh1jKlMn_pQr-tUv";
  await t.step("aws_creds: two profiles, AKIA ids, 40-char secrets, passive", async () => {
    const a = await generateArtifact("aws_creds", ctx);
    const s = text(a.bytes);
    assert.match(s, /^\[default\]\n/);
    assert.match(s, /\n\[prod\]\n/);
    assert.equal(s.match(/aws_access_key_id = AKIA[A-Z0-9]{16}\n/g)?.length, 2);
    assert.equal(s.match(/aws_secret_access_key = [A-Za-z0-9+/]{40}\n/g)?.length, 2);
    assert.equal(s.match(/region = [a-z]+-[a-z]+-\d\n/g)?.length, 2);
    assert.equal(a.kind, "aws_passive");
    assert.equal(a.mode, 0o600);
    assert.equal(a.defaultPath, "~/.aws/credentials");
  });
  await t.step("git_config: origin url under the callback", async () => {
    const s = text((await generateArtifact("git_config", ctx)).bytes);
    assert.match(s, new RegExp(`\\[remote "origin"\\]\\n\\turl = ${url}/[a-z-]+\\.git\\n`));
  });
  await t.step("env_file: API_BASE_URL and WEBHOOK_NOTIFY_URL", async () => {
    const s = text((await generateArtifact("env_file", ctx)).bytes);
    assert.match(s, new RegExp(`^API_BASE_URL=${url}$`, "m"));
    assert.match(s, new RegExp(`^WEBHOOK_NOTIFY_URL=${url}/`, "m"));
  });
  await t.step("ssh_key: comment is user@slug.zone and ssh-keygen reads the key", async () => {
    const a = await generateArtifact("ssh_key", ctx);
    assert.match(text(a.bytes), /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const run = await runToolOn("ssh-keygen", (f) => ["-y", "-f", f], a.bytes);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ssh-ed25519 \S+ [a-z]+@Ab3dEfGh1jKlMn_pQr-tUv\.t\.example\.net\n$/);
  });
  await t.step("ssh_key: HTTP host in the comment when there is no zone", async () => {
    const a = await generateArtifact("ssh_key", makeContext({ dnsZone: "" }));
    const run = await runToolOn("ssh-keygen", (f) => ["-y", "-f", f], a.bytes);
    assert.match(run.stdout, /@cdn\.example\.net\n$/);
  });
  await t.step("honeydoc: 1x1 image at the callback", async () => {
    const s = text((await generateArtifact("honeydoc", ctx)).bytes);
    assert.ok(s.includes(`<img src="${url}" width="1" height="1"`));
    assert.match(s, /^<!DOCTYPE html>/);
  });
  await t.step("mysql_dump: replication to slug.zone for MariaDB and MySQL 8", async () => {
    const s = text((await generateArtifact("mysql_dump", ctx)).bytes);
    const host = "Ab3dEfGh1jKlMn_pQr-tUv.t.example.net";
    assert.ok(s.includes(`/*M!100501 CHANGE MASTER TO MASTER_HOST='${host}'`));
    assert.ok(s.includes(`/*!80023 CHANGE REPLICATION SOURCE TO SOURCE_HOST='${host}'`));
    assert.ok(s.indexOf("/*M!100501 START REPLICA */;") > s.indexOf("CHANGE MASTER"));
    assert.ok(s.indexOf("/*!80023 START REPLICA */;") > s.indexOf("CHANGE REPLICATION SOURCE"));
    assert.ok(s.indexOf("CHANGE MASTER") > s.lastIndexOf("INSERT INTO"));
  });
});

Deno.test("generateArtifact() writes a DOCX that jszip re-reads with well-formed XML", async () => {
  const a = await generateArtifact(
    "honeydoc_docx",
    makeContext({ persona: { os: "linux", name: "Ada Lovelace" } }),
  );
  const zip = await JSZip.loadAsync(a.bytes);
  for (const [name, file] of Object.entries(zip.files)) {
    const run = await xmlWellFormed(await file.async("string"));
    assert.equal(run.code, 0, `${name}: ${run.stderr}`);
  }
  const rels = await zip.file("word/_rels/document.xml.rels")!.async("string");
  const rel = rels.match(
    /<Relationship Id="(rId\d+)" Type="[^"]+\/image" Target="([^"]+)" TargetMode="External"\/>/,
  );
  assert.ok(rel);
  assert.equal(rel[2], "https://cdn.example.net/c/Ab3dEfGh1jKlMn_pQr-tUv");
  const doc = await zip.file("word/document.xml")!.async("string");
  assert.ok(doc.includes(`r:link="${rel[1]}"`));
  const core = await zip.file("docProps/core.xml")!.async("string");
  assert.ok(core.includes("<dc:creator>Ada Lovelace</dc:creator>"));
  const modified = core.match(/<dcterms:modified [^>]*>([^<]+)</)![1];
  assert.equal(Date.parse(modified), Date.parse(a.modifiedAt));
  assert.ok(Date.parse(core.match(/<dcterms:created [^>]*>([^<]+)</)![1]) <= Date.parse(modified));
  for (const f of Object.values(zip.files)) {
    assert.equal(f.date.getTime(), Date.parse(a.modifiedAt));
  }
});

Deno.test("generateArtifact() varies DOCX size per slug", async () => {
  const sizes = new Set<number>();
  for (
    const slug of [
      "Ab3dEfGh1jKlMn_pQr-tUv",
      "Zz9yXw8vUt7sRq6pOn5mLk",
      "Qq1wEe2rTt3yUu4iOo5pAa",
      "Mm0nBb9vCc8xZz7lKk6jHh",
    ]
  ) {
    sizes.add((await generateArtifact("honeydoc_docx", makeContext({ slug }))).bytes.length);
  }
  assert.equal(sizes.size, 4);
});

Deno.test("generateArtifact() writes a PDF that pdf-lib reloads and qpdf passes", async () => {
  const a = await generateArtifact("honeydoc_pdf", makeContext());
  const doc = await PDFDocument.load(a.bytes, { updateMetadata: false });
  const action = doc.catalog.lookup(PDFName.of("OpenAction"), PDFDict);
  assert.equal(action.lookup(PDFName.of("S")), PDFName.of("URI"));
  assert.equal(
    (action.lookup(PDFName.of("URI")) as PDFString).decodeText(),
    "https://cdn.example.net/c/Ab3dEfGh1jKlMn_pQr-tUv",
  );
  assert.equal(doc.getModificationDate()?.getTime(), Date.parse(a.modifiedAt));
  assert.ok(!/pdf-lib/i.test(doc.getProducer() ?? ""));
  const check = await runToolOn("qpdf", (f) => ["--check", f], a.bytes);
  assert.equal(check.code, 0, check.stdout + check.stderr);
});

Deno.test("generateArtifact() draws a PDF for a persona name outside WinAnsi", async () => {
  const name = "Zoë Ωmega 李 😀";
  const a = await generateArtifact("honeydoc_pdf", makeContext({ persona: { os: "linux", name } }));
  const doc = await PDFDocument.load(a.bytes, { updateMetadata: false });
  // The metadata is UTF-16 and keeps the name whole; the page text substitutes.
  assert.equal(doc.getAuthor(), name);
  assert.match(latin1(a.bytes), /^%PDF-/);
});

Deno.test("generateArtifact() shapes paths for a Windows persona", async () => {
  const persona = { os: "windows" as const, login: "jdoe" };
  const aws = await generateArtifact("aws_creds", makeContext({ persona }));
  assert.equal(aws.defaultPath, "C:\\Users\\jdoe\\.aws\\credentials");
  const doc = await generateArtifact("honeydoc_pdf", makeContext({ persona }));
  assert.match(
    doc.defaultPath,
    /^C:\\Users\\jdoe\\(Documents|reports)(\\[A-Za-z0-9]+)?\\[a-z0-9_]+\.pdf$/,
  );
});

Deno.test("generateArtifact() raises CanaryRequirementError when a need is missing", async (t) => {
  await t.step("mysql_dump without zone", async () => {
    await assert.rejects(
      generateArtifact("mysql_dump", makeContext({ dnsZone: "" })),
      (e) => e instanceof CanaryRequirementError && e.requirement === "dns_zone",
    );
  });
  await t.step("git_config without base URL", async () => {
    await assert.rejects(
      generateArtifact("git_config", makeContext({ httpBase: "" })),
      (e) => e instanceof CanaryRequirementError && e.requirement === "http_base",
    );
  });
  await t.step("unknown generator", async () => {
    await assert.rejects(generateArtifact("nope", makeContext()), RangeError);
  });
});
