/** Length of a minted slug. */
export const SLUG_LENGTH = 22;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** A slug as minted: 22 URL-safe characters, starting and ending alphanumeric. */
export const SLUG_REGEXP = /^[A-Za-z0-9][A-Za-z0-9_-]{20}[A-Za-z0-9]$/;

/**
 * Mints a callback slug: 22 URL-safe characters from a cryptographic source.
 * The first and last characters are alphanumeric so the slug is also a
 * usable DNS label.
 *
 * @param fillRandom fills a buffer with random bytes
 * @default fillRandom crypto.getRandomValues
 * @returns the slug
 */
export function mintSlug(
  fillRandom: (buffer: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  for (;;) {
    // 256 % 64 === 0, so masking keeps each character uniform.
    const bytes = fillRandom(new Uint8Array(SLUG_LENGTH));
    const slug = [...bytes].map((b) => ALPHABET[b & 63]).join("");
    if (SLUG_REGEXP.test(slug)) return slug;
  }
}
