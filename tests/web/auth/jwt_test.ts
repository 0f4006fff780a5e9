import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { JWT_AUDIENCE, JWT_ISSUER, JwtSigner } from "../../../web/auth/jwt.ts";

const SECRET = "a-secret-of-at-least-32-characters!";
const NOW = new Date("2026-11-18T14:00:00.000Z");

/** Base64url as RFC 7515 writes it, by hand (no padding). */
function b64url(text: string | Uint8Array): string {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

function handMade(claims: Record<string, unknown>, alg = "HS256"): string {
  const signed = `${b64url(JSON.stringify({ alg, typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${signed}.${b64url(createHmac("sha256", SECRET).update(signed).digest())}`;
}

Deno.test("JwtSigner signs base64url tokens without padding that it verifies back", async () => {
  const jwt = await JwtSigner.create(SECRET);
  const { token, claims } = await jwt.sign({ sub: "u-1", role: "admin", name: "ada" }, {
    ttlSeconds: 3600,
    now: NOW,
  });
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(await jwt.verify(token, NOW), claims);
});

Deno.test("JwtSigner.verify() takes a token encoded elsewhere and refuses forged, unsigned or expired ones", async () => {
  const jwt = await JwtSigner.create(SECRET);
  const iat = NOW.getTime() / 1000;
  const claims = {
    sub: "u-1",
    role: "viewer",
    name: "ada",
    jti: "j-1",
    iat,
    exp: iat + 60,
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
  };
  assert.deepEqual(await jwt.verify(handMade(claims), NOW), claims);
  const [head, body] = handMade(claims).split(".");
  assert.equal(await jwt.verify(`${head}.${body}.${b64url("forged")}`, NOW), null);
  assert.equal(await jwt.verify(handMade(claims, "none"), NOW), null);
  assert.equal(await jwt.verify(handMade({ ...claims, role: "root" }), NOW), null);
  assert.equal(await jwt.verify(handMade(claims), new Date((iat + 60) * 1000)), null);
  assert.equal(await jwt.verify(`${head}.${body}`, NOW), null);
});
