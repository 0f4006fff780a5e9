import type { Logger } from "../log/mod.ts";
import { errorText } from "../log/mod.ts";
import { AsnTable } from "./asn_table.ts";

/**
 * Reads the operator's ASN table (DECNET_ASN_TABLE). A table that cannot be
 * read is logged and left out: attackers then carry no ASN, and nothing
 * else stops.
 *
 * @example
 * ```ts
 * import { Logger } from "../log/mod.ts";
 * const table = await loadAsnTable("/etc/decnet/ip2asn-combined.tsv", new Logger());
 * ```
 */
export async function loadAsnTable(path: string, log: Logger): Promise<AsnTable | undefined> {
  try {
    const table = AsnTable.parse(await Deno.readTextFile(path));
    log.info("ASN table loaded", { path, ranges: table.size });
    return table;
  } catch (e) {
    log.error("cannot read the ASN table; attackers get no ASN", { path, error: errorText(e) });
    return undefined;
  }
}
