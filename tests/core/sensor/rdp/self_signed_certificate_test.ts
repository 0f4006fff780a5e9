import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import { selfSignedCertificate } from "../../../../core/sensor/rdp/self_signed_certificate.ts";

Deno.test("selfSignedCertificate() makes a certificate like Windows' Remote Desktop one", async () => {
  const now = new Date("2026-12-01T10:00:00Z");
  const { cert, key } = await selfSignedCertificate("SRV01.corp.example", { now });
  const x509 = new X509Certificate(cert);
  assert.equal(x509.subject, "CN=SRV01.corp.example");
  assert.equal(x509.issuer, x509.subject);
  assert.ok(x509.verify(x509.publicKey), "signed by its own key");
  assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(new Date(x509.validFrom).getTime(), now.getTime());
  assert.equal(new Date(x509.validTo).getTime() - now.getTime(), 182 * 24 * 3600 * 1000);
  assert.deepEqual(x509.keyUsage, ["KeyEncipherment", "DataEncipherment"]);
  // Extended key usage: SEQUENCE { serverAuth 1.3.6.1.5.5.7.3.1 }.
  const serverAuthEku = "300a06082b06010505070301";
  assert.ok(Buffer.from(x509.raw).toString("hex").includes(serverAuthEku));
  // 16 random bytes, positive; node prints the number without a leading zero digit.
  assert.match(x509.serialNumber, /^[1-9A-F][0-9A-F]{30,31}$/);
  assert.ok(!x509.ca);
  // Deno's TLS server takes the pair as it is.
  const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert, key });
  listener.close();
});

Deno.test("selfSignedCertificate() keeps a serial positive and in its shortest form", async () => {
  const now = new Date("2026-12-01T10:00:00Z");
  const serialOf = async (first: number) => {
    const random = (bytes: Uint8Array) => bytes.fill(0xab).fill(first, 0, 1);
    const { cert } = await selfSignedCertificate("SRV01", { now, random });
    return new X509Certificate(cert).serialNumber;
  };
  assert.equal(await serialOf(0x00), "1" + "AB".repeat(15));
  assert.equal(await serialOf(0x05), "5" + "AB".repeat(15));
  assert.equal(await serialOf(0xff), "7F" + "AB".repeat(15));
});
