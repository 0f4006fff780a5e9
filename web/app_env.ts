import type { TokenClaims } from "./auth/jwt.ts";

/** The signed-in user, as handlers see it. */
export interface AuthUser {
  uuid: string;
  username: string;
  role: "admin" | "viewer";
}

/** Hono environment of every decnet router. */
export interface AppEnv {
  Bindings: {
    /** The TCP peer, set by the server (absent in in-process tests). */
    remoteAddr?: { hostname: string; port: number };
  };
  Variables: {
    /** Where the request came from (see requestClient: trusted proxies' headers believed). */
    client: { ip: string; https: boolean };
    user: AuthUser;
    /** The session token's claims; absent when an API key authenticated the request. */
    claims?: TokenClaims;
    /** The API key that authenticated the request (read-only), if one did. */
    apiKey?: { uuid: string; name: string; expiresAt: string | null };
  };
}

/** What the auth guard granted a request's credential: its user, and its claims or its key. */
export type GrantedAccess = Pick<AppEnv["Variables"], "user" | "claims" | "apiKey">;
