/** Claims decnet puts in an API token. */
export interface TokenClaims {
  sub: string;
  role: "admin" | "viewer";
  name: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

/** Issuer and audience pinned in every token. */
export const JWT_ISSUER = "decnet-api";
export const JWT_AUDIENCE = "decnet-dashboard";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function b64url(bytes: Uint8Array): string {
  return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
}

function unb64url(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromBase64(text, { alphabet: "base64url" });
}

/**
 * HS256 signing and verification with WebCrypto, issuer and audience pinned,
 * and the algorithm fixed (the header's `alg` is checked, never trusted).
 *
 * @example
 * ```ts
 * import { JwtSigner } from "./jwt.ts";
 * const now = new Date();
 * const jwt = await JwtSigner.create("a-secret-of-at-least-32-characters!");
 * const { token } = await jwt.sign({ sub: "u-1", role: "admin", name: "admin" }, { ttlSeconds: 3600, now });
 * const claims = await jwt.verify(token, now); // null when forged or expired
 * ```
 */
export class JwtSigner {
  readonly #key: CryptoKey;

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  static async create(secret: string): Promise<JwtSigner> {
    const key = await crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    return new JwtSigner(key);
  }

  /** Signs a token valid for `ttlSeconds` from `now`, with a fresh jti. */
  async sign(
    subject: Pick<TokenClaims, "sub" | "role" | "name">,
    options: { ttlSeconds: number; now: Date },
  ): Promise<{ token: string; claims: TokenClaims }> {
    // Milliseconds kept (RFC 7519 allows a fractional NumericDate): a password changed in the
    // same second as a login must still end the sessions opened before it.
    const iat = options.now.getTime() / 1000;
    const claims: TokenClaims = {
      ...subject,
      jti: crypto.randomUUID(),
      iat,
      exp: iat + options.ttlSeconds,
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
    };
    const head = b64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
    const body = b64url(encoder.encode(JSON.stringify(claims)));
    const sig = new Uint8Array(
      await crypto.subtle.sign("HMAC", this.#key, encoder.encode(`${head}.${body}`)),
    );
    return { token: `${head}.${body}.${b64url(sig)}`, claims };
  }

  /** The claims of a valid token, or null when malformed, forged, expired or for another audience. */
  async verify(token: string, now: Date): Promise<TokenClaims | null> {
    const parts = token.split(".");
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return null;
    try {
      const header = JSON.parse(decoder.decode(unb64url(parts[0])));
      if (header?.alg !== "HS256") return null;
      const ok = await crypto.subtle.verify(
        "HMAC",
        this.#key,
        unb64url(parts[2]),
        encoder.encode(`${parts[0]}.${parts[1]}`),
      );
      if (!ok) return null;
      const claims = JSON.parse(decoder.decode(unb64url(parts[1]))) as TokenClaims;
      const seconds = now.getTime() / 1000;
      if (claims.iss !== JWT_ISSUER || claims.aud !== JWT_AUDIENCE) return null;
      if (typeof claims.exp !== "number" || claims.exp <= seconds) return null;
      if (typeof claims.iat !== "number" || claims.iat > seconds + 60) return null;
      if (typeof claims.sub !== "string" || typeof claims.jti !== "string") return null;
      if (claims.role !== "admin" && claims.role !== "viewer") return null;
      return claims;
    } catch {
      return null;
    }
  }
}
