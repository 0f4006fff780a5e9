/**
 * A `~/…` placement path (see `homePath`) made absolute under `login`'s
 * home: `/root` for root, else `/home/<login>`. Other paths come back
 * unchanged. (The planter resolves `~` inside the container instead, where
 * it can read the real home from /etc/passwd.)
 *
 * @param path the placement path
 * @param login the persona's login
 * @returns the absolute path, or `path` itself when it does not start with `~/`
 * @example
 * ```ts
 * expandHomePath("~/.aws/credentials", "ana"); // "/home/ana/.aws/credentials"
 * ```
 */
export function expandHomePath(path: string, login: string): string {
  if (!path.startsWith("~/")) return path;
  const home = login === "root" ? "/root" : `/home/${login}`;
  return `${home}/${path.slice(2)}`;
}
