/**
 * A `~/…` placement path (see `homePath`) made absolute under `login`'s
 * home: `home` when the decky's survey knows it, else `/root` for root and
 * `/home/<login>` for anyone else. Other paths come back
 * unchanged. (The planter resolves `~` inside the container instead, where
 * it can read the real home from /etc/passwd.)
 *
 * @param path the placement path
 * @param login the persona's login
 * @param home the login's home as the decky reports it, when known
 * @returns the absolute path, or `path` itself when it does not start with `~/`
 * @example
 * ```ts
 * expandHomePath("~/.aws/credentials", "ana"); // "/home/ana/.aws/credentials"
 * ```
 */
export function expandHomePath(path: string, login: string, home?: string | null): string {
  if (!path.startsWith("~/")) return path;
  const dir = home ?? (login === "root" ? "/root" : `/home/${login}`);
  return `${dir}/${path.slice(2)}`;
}
