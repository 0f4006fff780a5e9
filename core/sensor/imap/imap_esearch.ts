import { type ImapToken, tokenText } from "./imap_token.ts";

/**
 * The result options of `SEARCH RETURN (MIN COUNT) ...` (RFC 4731 ESEARCH):
 * those asked for (ALL when the list is empty), or null for a plain SEARCH.
 * Pure.
 *
 * @param args the SEARCH arguments
 * @returns the options, upper case, or null
 * @example
 * ```ts
 * parseSearchReturn([{ type: "atom", value: "RETURN" }, { type: "list", items: [] }]); // ["ALL"]
 * ```
 */
export function parseSearchReturn(args: readonly ImapToken[]): string[] | null {
  if (tokenText(args[0])?.toUpperCase() !== "RETURN" || args[1]?.type !== "list") return null;
  const options = args[1].items.map((i) => (tokenText(i) ?? "").toUpperCase());
  return options.length ? options : ["ALL"];
}

/**
 * The ESEARCH data for the options, as Dovecot writes it. Pure.
 *
 * @param options from {@linkcode parseSearchReturn}
 * @param found the matching numbers, ascending
 * @returns e.g. ` MIN 1 MAX 3 COUNT 2 ALL 1,3` (empty when nothing matched and COUNT was not asked)
 * @example
 * ```ts
 * esearchResult(["ALL"], [1, 2, 3, 5]); // " ALL 1:3,5"
 * ```
 */
export function esearchResult(options: readonly string[], found: readonly number[]): string {
  if (found.length === 0) return options.includes("COUNT") ? " COUNT 0" : "";
  let out = "";
  if (options.includes("MIN")) out += ` MIN ${found[0]}`;
  if (options.includes("MAX")) out += ` MAX ${found.at(-1)}`;
  if (options.includes("COUNT")) out += ` COUNT ${found.length}`;
  if (options.includes("ALL")) out += ` ALL ${compactSet(found)}`;
  return out;
}

/** Ascending numbers as a sequence set: 1,2,3,5 -> "1:3,5". */
function compactSet(numbers: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    ranges.push(i === j ? `${numbers[i]}` : `${numbers[i]}:${numbers[j]}`);
    i = j;
  }
  return ranges.join(",");
}
