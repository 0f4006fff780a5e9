/**
 * The URL with its password replaced by `***`, for logs and `config show`.
 *
 * @param url a DECNET_DB_URL (or any URL with credentials)
 * @returns the URL without its password
 * @example
 * ```ts
 * maskDbUrl("mysql://decnet:s3cret@db:3306/decnet"); // "mysql://decnet:***@db:3306/decnet"
 * ```
 */
export function maskDbUrl(url: string): string {
  // Up to the authority's last "@": a password may hold a raw "@" (URL parsers take the last).
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^/]*@/, "$1***@");
}
