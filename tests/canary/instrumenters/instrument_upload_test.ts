import assert from "node:assert/strict";
import JSZip from "jszip";
import { PDFDict, PDFDocument, PDFName, type PDFString } from "pdf-lib";
import { InstrumentError, instrumentUpload } from "../../../canary/mod.ts";
import { latin1, makeContext, runToolOn, xmlWellFormed } from "../_canary_fixtures.ts";
import { makeDocx, makePdf, makePng, makeXlsx, readImageFixture } from "../_office_fixtures.ts";

const URL_ = "https://cdn.example.net/c/Ab3dEfGh1jKlMn_pQr-tUv";
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("instrumentUpload() adds an external image and a drawing to a DOCX", async () => {
  const input = await makeDocx();
  const out = await instrumentUpload(input, makeContext(), { filename: "minutes.docx" });
  assert.equal(out.instrumenter, "docx");
  const zip = await JSZip.loadAsync(out.bytes);
  for (const [name, f] of Object.entries(zip.files)) {
    const run = await xmlWellFormed(await f.async("string"));
    assert.equal(run.code, 0, `${name}: ${run.stderr}`);
    assert.equal(f.date.getTime(), Date.UTC(2024, 4, 6, 8, 30, 0));
  }
  const rels = await zip.file("word/_rels/document.xml.rels")!.async("string");
  assert.ok(
    rels.includes(
      `<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${URL_}" TargetMode="External"/>`,
    ),
  );
  const doc = await zip.file("word/document.xml")!.async("string");
  assert.ok(doc.includes('r:link="rId5"'));
  assert.ok(doc.includes('<wp:docPr id="4"'));
  assert.ok(doc.indexOf('r:link="rId5"') < doc.indexOf("<w:sectPr>"));
  assert.deepEqual(await instrumentUpload(input, makeContext(), { filename: "minutes.docx" }), out);
});

Deno.test("instrumentUpload() adds an external image relationship to an XLSX", async () => {
  const out = await instrumentUpload(await makeXlsx(), makeContext(), { filename: "q3.xlsx" });
  assert.equal(out.instrumenter, "xlsx");
  const zip = await JSZip.loadAsync(out.bytes);
  const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
  assert.ok(
    rels.includes(
      `Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${URL_}" TargetMode="External"`,
    ),
  );
  assert.equal((await xmlWellFormed(rels)).code, 0);
});

Deno.test("instrumentUpload() sets a PDF /OpenAction /URI that qpdf accepts", async () => {
  const out = await instrumentUpload(await makePdf(2), makeContext(), { filename: "a.pdf" });
  assert.equal(out.instrumenter, "pdf");
  const doc = await PDFDocument.load(out.bytes);
  assert.equal(doc.getPageCount(), 2);
  const action = doc.catalog.lookup(PDFName.of("OpenAction"), PDFDict);
  assert.equal((action.lookup(PDFName.of("URI")) as PDFString).decodeText(), URL_);
  const check = await runToolOn("qpdf", (f) => ["--check", f], out.bytes);
  assert.equal(check.code, 0, check.stdout + check.stderr);
});

Deno.test("instrumentUpload() rejects a broken PDF with a reason", async () => {
  await assert.rejects(
    instrumentUpload(enc("%PDF-1.7\nnot really"), makeContext(), { filename: "x.pdf" }),
    (e) => e instanceof InstrumentError && /not a readable PDF/.test(e.reason),
  );
});

Deno.test("instrumentUpload() hides the callback in image metadata", async (t) => {
  await t.step("PNG tEXt chunk, pngcheck passes", async () => {
    const png = makePng();
    const out = await instrumentUpload(png, makeContext(), { filename: "a.png" });
    assert.equal(out.instrumenter, "image");
    assert.ok(latin1(out.bytes).includes(`tEXtComment\0${URL_}`));
    const run = await runToolOn("pngcheck", (f) => ["-v", f], out.bytes);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /tEXt/);
    // Pixels untouched: the IDAT chunk is byte-identical.
    const idat = (b: Uint8Array) =>
      latin1(b).slice(latin1(b).indexOf("IDAT") - 4, latin1(b).indexOf("IEND"));
    assert.equal(idat(out.bytes), idat(png));
  });
  await t.step("JPEG COM segment, djpeg decodes it", async () => {
    const jpg = await readImageFixture("tiny.jpg");
    const out = await instrumentUpload(jpg, makeContext(), { filename: "a.jpg" });
    assert.ok(
      latin1(out.bytes).includes(`\xff\xfe${String.fromCharCode(0, URL_.length + 2)}${URL_}`),
    );
    const before = await runToolOn("djpeg", (f) => ["-pnm", f], jpg);
    const after = await runToolOn("djpeg", (f) => ["-pnm", f], out.bytes);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, before.stdout);
  });
  await t.step("GIF comment extension, gif2rgb decodes it", async () => {
    const gif = await readImageFixture("tiny.gif");
    const out = await instrumentUpload(gif, makeContext(), { filename: "a.gif" });
    assert.ok(latin1(out.bytes).includes(`\x21\xfe${String.fromCharCode(URL_.length)}${URL_}\0`));
    const run = await runToolOn("gif2rgb", (f) => ["-1", "-o", "/dev/null", f], out.bytes);
    assert.equal(run.code, 0, run.stderr);
    const text = await runToolOn("giftext", (f) => [f], out.bytes);
    assert.match(text.stdout, /GIF89 comment/);
    assert.equal(text.code, 0);
  });
});

Deno.test("instrumentUpload() puts a 1x1 image into HTML", async (t) => {
  await t.step("before </body>", async () => {
    const out = await instrumentUpload(enc("<html><body><p>x</p></BODY></html>"), makeContext());
    assert.equal(
      dec(out.bytes),
      `<html><body><p>x</p><img src="${URL_}" width="1" height="1" alt="" style="border:0">\n</BODY></html>`,
    );
  });
  await t.step("appended when there is no </body>", async () => {
    const out = await instrumentUpload(enc("<html><p>x</p>"), makeContext(), {
      filename: "a.html",
    });
    assert.ok(dec(out.bytes).startsWith("<html><p>x</p>\n<img "));
  });
});

Deno.test("instrumentUpload() instruments plain text", async (t) => {
  await t.step("substitutes the placeholders", async () => {
    const out = await instrumentUpload(
      enc('{"url":"{{CANARY_URL}}","host":"{{CANARY_HOST}}"}'),
      makeContext(),
      {
        filename: "cfg.json",
      },
    );
    assert.equal(dec(out.bytes), `{"url":"${URL_}","host":"Ab3dEfGh1jKlMn_pQr-tUv.t.example.net"}`);
  });
  for (
    const [file, prefix] of [["deploy.sh", "#"], ["app.js", "//"], ["php.ini", ";"], [
      "conf.yaml",
      "#",
    ]]
  ) {
    await t.step(`appends a ${prefix} comment to ${file}`, async () => {
      const out = await instrumentUpload(enc("a=1\n"), makeContext(), { filename: file });
      const lines = dec(out.bytes).split("\n");
      assert.equal(lines[0], "a=1");
      assert.ok(lines[1].startsWith(`${prefix} `) && lines[1].endsWith(URL_));
      assert.equal(lines.length, 3);
    });
  }
  await t.step("refuses JSON without placeholders", async () => {
    await assert.rejects(
      instrumentUpload(enc('{"a":1}'), makeContext(), { filename: "cfg.json" }),
      (e) => e instanceof InstrumentError && /no comment syntax/.test(e.reason),
    );
  });
});

Deno.test("instrumentUpload() refuses unknown binary unless passthrough is asked for", async () => {
  const blob = Uint8Array.from([0, 1, 2, 3, 255, 0]);
  await assert.rejects(instrumentUpload(blob, makeContext()), InstrumentError);
  const out = await instrumentUpload(blob, makeContext(), { instrumenter: "passthrough" });
  assert.deepEqual(out.bytes, blob);
});
