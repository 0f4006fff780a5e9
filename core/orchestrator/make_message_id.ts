/**
 * A fresh Message-ID at the sender's domain: "<time.random@domain>", unique
 * enough for a fleet (40 random bits plus the millisecond).
 *
 * @param domain the sender's mail domain
 * @param options the instant and randomness
 * @returns e.g. "<mhw1ab2c.4f9e0a1b3c@example.com>"
 */
export function makeMessageId(
  domain: string,
  options: { now: Date; random: () => number },
): string {
  let hex = "";
  for (let i = 0; i < 10; i++) hex += Math.floor(options.random() * 16).toString(16);
  return `<${options.now.getTime().toString(36)}.${hex}@${domain}>`;
}
