import type { AppDeps } from "../app_deps.ts";
import type { AuthUser } from "../app_env.ts";
import { HttpError } from "../http_error.ts";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "./password_hash.ts";

/** Who is trying to sign in, and from where. */
export interface PasswordLoginAttempt {
  ip: string;
  username: string;
  password: string;
}

/** A successful sign-in: the bearer token, its lifetime and the user. */
export interface PasswordLoginResult {
  token: string;
  ttlSeconds: number;
  user: AuthUser;
}

/**
 * The one sign-in path (API login and the dashboard's login form), throttled
 * by {@linkcode LoginThrottle} (per address, per username and address, and a
 * growing delay per username), hashing even for unknown users so timing does
 * not reveal which names exist.
 *
 * @throws {HttpError} 429 when rate-limited, 401 on wrong credentials
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * import { type PasswordLoginAttempt, passwordLogin } from "./password_login.ts";
 * declare const deps: AppDeps;
 * declare const attempt: PasswordLoginAttempt; // ip, username, password
 * const { token } = await passwordLogin(deps, attempt);
 * ```
 */
export async function passwordLogin(
  deps: Pick<AppDeps, "now" | "loginThrottle" | "repos" | "log" | "config" | "jwt">,
  attempt: PasswordLoginAttempt,
): Promise<PasswordLoginResult> {
  const { ip, username, password } = attempt;
  // Counted before any lookup or hashing, so parallel attempts see each other.
  const admission = deps.loginThrottle.admit(ip, username, deps.now().getTime());
  if ("retryAfterSeconds" in admission) {
    deps.log.warn("login rate-limited", { ip, username });
    throw new HttpError(429, "too_many_attempts", "Too many login attempts; try again later", {
      headers: { "Retry-After": String(admission.retryAfterSeconds) },
    });
  }
  let ok = false;
  try {
    await admission.wait();
    const user = await deps.repos.users.findByUsername(username);
    ok = await verifyPassword(password, user?.password_hash ?? DUMMY_PASSWORD_HASH) && !!user;
    if (!user || !ok) {
      deps.log.info("login failed", { ip, username });
      throw new HttpError(401, "invalid_credentials", "Wrong username or password");
    }
    const ttlSeconds = deps.config.jwtTtlSeconds;
    const { token } = await deps.jwt.sign(
      { sub: user.uuid, role: user.role, name: user.username },
      { ttlSeconds, now: deps.now() },
    );
    deps.log.info("login", { ip, username: user.username });
    return {
      token,
      ttlSeconds,
      user: { uuid: user.uuid, username: user.username, role: user.role },
    };
  } finally {
    admission.settle({ ok, now: deps.now().getTime() });
  }
}
