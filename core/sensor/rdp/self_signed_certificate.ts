import { der } from "../der.ts";

/** A certificate and its key, PEM-encoded as `Deno.listenTls` takes them. */
export interface SelfSignedCertificate {
  /** `-----BEGIN CERTIFICATE-----` ... */
  cert: string;
  /** `-----BEGIN PRIVATE KEY-----` (PKCS #8) ... */
  key: string;
}

/** Options for {@linkcode selfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** Start of validity. */
  now: Date;
  /** Fills the serial number. @default crypto.getRandomValues */
  random?: (bytes: Uint8Array) => Uint8Array;
}

// OIDs as DER contents.
const SHA256_WITH_RSA = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
const COMMON_NAME = Uint8Array.of(0x55, 0x04, 0x03);
const EXT_KEY_USAGE = Uint8Array.of(0x55, 0x1d, 0x25);
const KEY_USAGE = Uint8Array.of(0x55, 0x1d, 0x0f);
const SERVER_AUTH = Uint8Array.of(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01);
// Windows' Remote Desktop certificate is valid for six months and renewed before it ends.
const VALIDITY_MS = 182 * 24 * 3600 * 1000;

/**
 * A certificate like the one Windows makes for Remote Desktop when no other
 * is configured: RSA 2048, SHA-256, self-issued to `CN=<computer name>`,
 * six months, key usage keyEncipherment + dataEncipherment, extended key
 * usage serverAuth. Made with WebCrypto, so no openssl is needed on a decky.
 *
 * @param commonName the computer's name (`SRV01` or `SRV01.corp.example`)
 * @param options clock and serial source
 * @returns the certificate and key in PEM
 * @example
 * ```ts
 * const { cert, key } = await selfSignedCertificate("SRV01", { now: new Date() });
 * const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert, key });
 * listener.close();
 * ```
 */
export async function selfSignedCertificate(
  commonName: string,
  options: SelfSignedCertificateOptions,
): Promise<SelfSignedCertificate> {
  const random = options.random ?? ((b: Uint8Array) => crypto.getRandomValues(b));
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: Uint8Array.of(1, 0, 1),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const serial = random(new Uint8Array(16));
  serial[0] = (serial[0] & 0x7f) || 1; // a positive INTEGER in its shortest form
  const algorithm = der(0x30, der(0x06, SHA256_WITH_RSA), der(0x05));
  const name = der(
    0x30,
    der(0x31, der(0x30, der(0x06, COMMON_NAME), der(0x0c, utf8(commonName)))),
  );
  const notBefore = options.now;
  const notAfter = new Date(notBefore.getTime() + VALIDITY_MS);
  const extensions = der(
    0xa3,
    der(
      0x30,
      der(0x30, der(0x06, EXT_KEY_USAGE), der(0x04, der(0x30, der(0x06, SERVER_AUTH)))),
      // BIT STRING, 4 unused bits: keyEncipherment (2) and dataEncipherment (3).
      der(0x30, der(0x06, KEY_USAGE), der(0x04, der(0x03, Uint8Array.of(0x04, 0x30)))),
    ),
  );
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, Uint8Array.of(2))),
    der(0x02, serial),
    algorithm,
    name,
    der(0x30, utcTime(notBefore), utcTime(notAfter)),
    name,
    spki,
    extensions,
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign("RSASSA-PKCS1-v1_5", pair.privateKey, tbs as Uint8Array<ArrayBuffer>),
  );
  const certificate = der(0x30, tbs, algorithm, der(0x03, Uint8Array.of(0), signature));
  return { cert: pem("CERTIFICATE", certificate), key: pem("PRIVATE KEY", pkcs8) };
}

function utcTime(date: Date): Uint8Array {
  const iso = date.toISOString(); // 2026-12-01T14:26:36.000Z
  const text = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) +
    iso.slice(14, 16) + iso.slice(17, 19) + "Z";
  return der(0x17, utf8(text));
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function pem(label: string, bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  const body = btoa(binary).match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
