/** The message a reply answers: its Message-ID and its own References chain. */
export interface ThreadParent {
  /** "<id@domain>". */
  message_id: string;
  /** Space-separated Message-IDs, oldest first ("" for a thread's first message). */
  references_chain: string;
}

/** In-Reply-To and References of a reply. */
export interface ThreadLinks {
  inReplyTo: string;
  /** Every earlier Message-ID of the thread, oldest first, the parent last. */
  references: string[];
}

/**
 * The thread headers of a reply to `parent` (RFC 5322 section 3.6.4):
 * In-Reply-To is the parent's Message-ID; References is the parent's
 * References followed by the parent's Message-ID.
 *
 * @example
 * ```ts
 * threadLinks({ message_id: "<b@x>", references_chain: "<a@x>" });
 * // { inReplyTo: "<b@x>", references: ["<a@x>", "<b@x>"] }
 * ```
 */
export function threadLinks(parent: ThreadParent): ThreadLinks {
  const earlier = parent.references_chain.split(/\s+/).filter((id) => id !== "");
  return {
    inReplyTo: parent.message_id,
    references: [...earlier.filter((id) => id !== parent.message_id), parent.message_id],
  };
}
