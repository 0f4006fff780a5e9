// Why a host cannot be planted: an intruder reads bait from a shell on the
// decky, so the callback must look like an ordinary service name and be
// reachable from other machines. Loopback never leaves the decky; a bare IP
// address beside host names like db-4.internal stands out; documentation
// ranges and reserved names (RFC 5737, RFC 3849, RFC 2606, RFC 6761) route
// or resolve nowhere.
const DOC_V4_REGEXP = /^(192\.0\.2|198\.51\.100|203\.0\.113)\./;
const IPV4_REGEXP = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_TLDS = ["localhost", "example", "invalid", "test", "local"];
const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"];

/** The setting that lets tests and labs plant local callbacks anyway. */
export const ALLOW_LOCAL_CALLBACKS_VARIABLE = "DECNET_CANARY_ALLOW_LOCAL";

/**
 * The error that refuses planting bait whose callback is `base` on a decky,
 * or null when it may be planted: a loopback host, an IP literal
 * (documentation ranges included) or a reserved / documentation name is
 * refused unless `allowLocal` (DECNET_CANARY_ALLOW_LOCAL) is set.
 * Bait that is only issued (downloaded, not planted) needs no check.
 *
 * @param base the callback base URL (DECNET_CANARY_HTTP_BASE)
 * @param options `allowLocal`: accept any base (tests, labs)
 * @returns the message naming the setting and the value, or null
 * @example
 * ```ts
 * unplantableCallbackError("http://127.0.0.1:8088", { allowLocal: false }); // "Cannot plant bait: ..."
 * unplantableCallbackError("https://updates.acme-corp.com", { allowLocal: false }); // null
 * ```
 */
export function unplantableCallbackError(
  base: string,
  options: { allowLocal: boolean },
): string | null {
  if (options.allowLocal) return null;
  const reason = unplantableReason(base);
  if (reason === null) return null;
  return `Cannot plant bait: DECNET_CANARY_HTTP_BASE is ${reason}, which is a tell and ` +
    `unreachable from other machines; set a public host name, or ` +
    `${ALLOW_LOCAL_CALLBACKS_VARIABLE}=true for tests and labs, got "${base}"`;
}

function unplantableReason(base: string): string | null {
  let host: string;
  try {
    host = new URL(base).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return "not a URL";
  }
  if (host === "") return "a URL without a host";
  if (host.startsWith("[")) {
    const v6 = host.slice(1, -1);
    if (v6 === "::1") return "a loopback address";
    if (/^2001:0?db8:/.test(v6)) return "a documentation-range address";
    return "an IP literal";
  }
  if (IPV4_REGEXP.test(host)) {
    if (host.startsWith("127.")) return "a loopback address";
    if (DOC_V4_REGEXP.test(host)) return "a documentation-range address";
    return "an IP literal";
  }
  const tld = host.slice(host.lastIndexOf(".") + 1);
  if (host === "localhost" || tld === "localhost") return "a loopback name";
  if (!host.includes(".")) return "a single-label name";
  if (RESERVED_TLDS.includes(tld)) return "a reserved name";
  if (EXAMPLE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) {
    return "a documentation name";
  }
  return null;
}
