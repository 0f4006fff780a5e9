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
    claims: TokenClaims;
  };
}
