const REPLY_PREFIX_REGEXP = /^\s*(?:(?:re|aw|sv|vs|antw|rif|r|fwd?|wg)(?:\[\d+\])?\s*:\s*)+/i;

/**
 * The subject of a reply: every leading reply or forward prefix (Re:, AW:,
 * RE[2]:, Fwd:) folded into one "Re: ".
 *
 * @param subject the subject replied to
 * @returns "Re: " and the bare subject
 * @example
 * ```ts
 * replySubject("RE: AW: Re: budget"); // "Re: budget"
 * ```
 */
export function replySubject(subject: string): string {
  const bare = subject.replace(REPLY_PREFIX_REGEXP, "").trim();
  return `Re: ${bare === "" ? "(no subject)" : bare}`;
}
