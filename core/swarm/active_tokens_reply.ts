import type { ActiveTokenSummary } from "../db/mod.ts";

const UUID_REGEXP = /^[0-9a-f-]{36}$/i;
const SLUG_REGEXP = /^[\x21-\x7e]{1,256}$/;

/**
 * Reads the master's answer to an agent's active tokens request
 * (`{"tokens":[{"uuid","slug"}]}`).
 *
 * @throws {SyntaxError} when it is not JSON; {TypeError} naming the bad field
 * @example
 * ```ts
 * import { parseActiveTokensReply } from "./active_tokens_reply.ts";
 * parseActiveTokensReply('{"tokens":[{"uuid":"7d3c2f0e-0000-4000-8000-000000000001","slug":"ab12"}]}');
 * ```
 */
export function parseActiveTokensReply(text: string): ActiveTokenSummary[] {
  const { tokens } = JSON.parse(text) as { tokens?: unknown };
  if (!Array.isArray(tokens)) throw new TypeError("Bad active tokens reply: tokens must be a list");
  return tokens.map((t, i) => {
    const { uuid, slug } = (t ?? {}) as Record<string, unknown>;
    if (typeof uuid !== "string" || !UUID_REGEXP.test(uuid)) {
      throw new TypeError(`Bad active tokens reply: tokens[${i}].uuid must be a UUID`);
    }
    if (typeof slug !== "string" || !SLUG_REGEXP.test(slug)) {
      throw new TypeError(`Bad active tokens reply: tokens[${i}].slug must be a token slug`);
    }
    return { uuid, slug };
  });
}
