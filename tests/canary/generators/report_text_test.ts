import assert from "node:assert/strict";
import { generateArtifact } from "../../../canary/mod.ts";

Deno.test("honeydoc reports repeat no sentence and are signed by the persona", async () => {
  for (let i = 0; i < 60; i++) {
    const slug = `slug${String(i).padStart(18, "0")}`;
    const doc = await generateArtifact("honeydoc", {
      slug,
      httpBase: "https://updates.acme-corp.com",
      dnsZone: "",
      persona: { os: "linux", login: "ana", name: "Ana Lopez" },
      issuedAt: "2026-11-18T14:00:00Z",
    });
    const html = new TextDecoder().decode(doc.bytes);
    const paragraphs = [...html.matchAll(/<p>([^<]+)<\/p>/g)].map((m) => m[1]);
    const sentences = paragraphs.flatMap((p) => p.split(/(?<=\.) /));
    assert.ok(sentences.length >= 6, slug);
    assert.equal(new Set(sentences).size, sentences.length, `${slug}: ${sentences.join(" | ")}`);
    assert.match(html, /Prepared by Ana Lopez/);
  }
});
