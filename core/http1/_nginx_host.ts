/**
 * nginx's host check (Host header and absolute targets): no '/', space or
 * control byte, no "..", and a name before the port (or an "[...]" literal)
 * that is not empty once a trailing dot is dropped.
 */
export function isValidHost(host: string): boolean {
  let state: "usual" | "literal" | "rest" = "usual";
  let dotAt = -2;
  let length = host.length;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x2f) return false;
    if (c === 0x2e) {
      if (dotAt === i - 1) return false;
      dotAt = i;
    } else if (c === 0x3a && state === "usual") {
      length = i;
      state = "rest";
    } else if (c === 0x5b && i === 0) {
      state = "literal";
    } else if (c === 0x5d && state === "literal") {
      length = i + 1;
      state = "rest";
    }
  }
  if (dotAt === length - 1) length--;
  return length > 0;
}
