// Folder-private: topic and pattern syntax shared by every Bus implementation.

/** One topic token: printable ASCII without `.`, `*` or `>` (NATS subject rules). */
const TOKEN_REGEXP = /^[\x21-\x29\x2b-\x2d\x2f-\x3d\x3f-\x7e]+$/;
const MAX_TOPIC_LENGTH = 512;

/** Why `topic` is not a concrete topic, or undefined when it is. */
export function topicProblem(topic: string): string | undefined {
  if (typeof topic !== "string" || topic.length === 0) return "expected a non-empty string";
  if (topic.length > MAX_TOPIC_LENGTH) return `expected at most ${MAX_TOPIC_LENGTH} characters`;
  for (const token of topic.split(".")) {
    if (!TOKEN_REGEXP.test(token)) {
      return "expected dot-separated tokens of printable ASCII without '*' or '>'";
    }
  }
  return undefined;
}

/** Why `pattern` is not a valid subscription pattern, or undefined when it is. */
export function patternProblem(pattern: string): string | undefined {
  if (typeof pattern !== "string" || pattern.length === 0) return "expected a non-empty string";
  if (pattern.length > MAX_TOPIC_LENGTH) return `expected at most ${MAX_TOPIC_LENGTH} characters`;
  const tokens = pattern.split(".");
  for (const [i, token] of tokens.entries()) {
    if (token === "*") continue;
    if (token === ">") {
      if (i === tokens.length - 1) continue;
      return "expected '>' only as the last token";
    }
    if (!TOKEN_REGEXP.test(token)) {
      return "expected dot-separated tokens, '*' or a final '>'";
    }
  }
  return undefined;
}

/** Throws a TypeError naming the bad pattern. */
export function assertPattern(pattern: string): void {
  const problem = patternProblem(pattern);
  if (problem) throw new TypeError(`Cannot subscribe: ${problem}, got "${pattern}"`);
}

/** Whether a concrete `topic` matches `pattern` (`*` one token, final `>` one or more). */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split(".");
  const t = topic.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== "*" && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

/**
 * Whether some concrete topic matches both patterns (`*` one token, final
 * `>` one or more): `canary.>` and `*.*.triggered` overlap, `decky.>` and
 * `canary.>` do not.
 */
export function patternsOverlap(a: string, b: string): boolean {
  const p = a.split(".");
  const q = b.split(".");
  for (let i = 0; i < Math.max(p.length, q.length); i++) {
    // A final `>` takes whatever the other pattern still has (at least one token).
    if (p[i] === ">") return q.length > i;
    if (q[i] === ">") return p.length > i;
    if (i >= p.length || i >= q.length) return false;
    if (p[i] !== "*" && q[i] !== "*" && p[i] !== q[i]) return false;
  }
  return true;
}
