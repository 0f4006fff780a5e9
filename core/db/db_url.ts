// The `:port` of mysql://[user[:pass]@]host:port/…; the password may hold ':' but not '@' or '/'.
const MYSQL_PORT_REGEXP =
  /^(?:mysql|mariadb):\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?#]*):([^/?#@]*)(?=[/?#]|$)/;

/** A parsed DECNET_DB_URL. */
export type DbTarget =
  | { engine: "sqlite"; path: string }
  | {
    engine: "mysql";
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
  };

/**
 * Parses `sqlite:/abs/path.db`, `sqlite:relative.db`, `sqlite::memory:` or
 * `mysql://user:pass@host:port/db` (also `mariadb://`).
 *
 * @throws {SyntaxError} when the URL has another scheme, misses a part or has a port outside
 * 1-65535 (messages never contain the password)
 * @example
 * ```ts
 * parseDbUrl("mysql://decnet:s3cret@127.0.0.1:3306/decnet").engine; // "mysql"
 * ```
 */
export function parseDbUrl(url: string): DbTarget {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "") throw new SyntaxError("expected a file path after sqlite:");
    return { engine: "sqlite", path };
  }
  // Checked before the URL parser, whose only complaint about a bad port is "Invalid URL".
  // The value is not echoed: a malformed URL may have a piece of its password there.
  const rawPort = MYSQL_PORT_REGEXP.exec(url)?.[1] || undefined;
  if (rawPort !== undefined && !/^\d+$/.test(rawPort)) {
    throw new SyntaxError("expected a port 1-65535 after the host, got one that is not a number");
  }
  if (rawPort !== undefined && (Number(rawPort) < 1 || Number(rawPort) > 65535)) {
    throw new SyntaxError("expected a port 1-65535 after the host, got one out of range");
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyntaxError("expected sqlite:PATH or mysql://user:pass@host:port/db");
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    throw new SyntaxError(`unsupported scheme "${parsed.protocol}", expected sqlite: or mysql:`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!parsed.hostname) throw new SyntaxError("missing host");
  if (!database) throw new SyntaxError("missing database name after the host");
  const port = parsed.port ? Number(parsed.port) : 3306;
  return {
    engine: "mysql",
    host: parsed.hostname,
    port,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
  };
}
