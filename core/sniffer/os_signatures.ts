/**
 * One label of the OS guess table and the SYN shapes that earn it.
 * `sigs` use a subset of p0f v3's `[tcp:request]` notation:
 * `ittl:mss:window,wscale:options:quirks`, where
 * - ittl is the initial TTL (32/64/128/255), or "64-" for any TTL up to 64
 *   (tools that pick a random TTL);
 * - mss is a number or "*";
 * - window is a number, "mss*N", "mtu*N", "%N" (multiple of N) or "*";
 * - wscale is a number (0 when the option is absent, as p0f counts it) or "*";
 * - options is the p0f layout ("mss,sok,ts,nop,ws"), "" for none, "*" for any;
 * - quirks, all required: "df", "!df" (DF clear), "id=N" (that exact IP-ID),
 *   "seq-" (zero ISN).
 */
export interface OsSignature {
  /** What `guessOs` returns, e.g. "Linux", "nmap SYN scan". */
  label: string;
  /** OS or tool family, for comparing against p0f's names. */
  family: string;
  /** True for catch-all shapes: used only when no specific signature matches. */
  generic?: boolean;
  sigs: readonly string[];
}

/**
 * The OS guess table, specific signatures before generic ones. Written for
 * decnet from the published behaviour of each stack and tool (p0f v3's
 * p0f.fp for the OS shapes; nmap, masscan, zmap, hping3 and scapy defaults
 * for the scanners); the scanners come first because their crafted SYNs can
 * otherwise pass for a stack's generic shape.
 */
export const OS_SIGNATURES: readonly OsSignature[] = Object.freeze([
  // nmap -sS: raw SYN, random TTL up to 64, no DF, MSS 1460 only, window 1024-4096.
  {
    label: "nmap SYN scan",
    family: "nmap",
    sigs: [
      "64-:1460:1024,0:mss:!df",
      "64-:1460:2048,0:mss:!df",
      "64-:1460:3072,0:mss:!df",
      "64-:1460:4096,0:mss:!df",
    ],
  },
  // masscan: TTL 255, window 1024, no options (older) or MSS 1460 (1.3+).
  {
    label: "masscan",
    family: "masscan",
    sigs: ["255:*:1024,0::", "255:1460:1024,0:mss:"],
  },
  // zmap: TTL 255, window 65535 and its fixed IP-ID 54321, whatever options it is told to mimic.
  { label: "zmap", family: "zmap", sigs: ["255:*:65535,*:*:id=54321"] },
  // scapy's TCP() defaults: window 8192, ISN 0, IP-ID 1, no options.
  { label: "scapy", family: "scapy", sigs: ["64:*:8192,0::!df,id=1,seq-"] },
  // hping3 -S defaults: window 512, no options, no DF.
  { label: "hping3", family: "hping3", sigs: ["64:*:512,0::!df"] },

  {
    label: "Android",
    family: "Linux",
    sigs: ["64:*:mss*44,1:mss,sok,ts,nop,ws:df", "64:*:mss*44,3:mss,sok,ts,nop,ws:df"],
  },
  {
    label: "Linux 3.11+",
    family: "Linux",
    sigs: [
      // 64240 = 44 x 1460: current kernels on Ethernet.
      "64:*:mss*44,7:mss,sok,ts,nop,ws:df",
      "64:*:mss*44,8:mss,sok,ts,nop,ws:df",
      "64:*:mss*44,9:mss,sok,ts,nop,ws:df",
      "64:*:mss*44,10:mss,sok,ts,nop,ws:df",
      "64:*:mss*20,7:mss,sok,ts,nop,ws:df",
      "64:*:mss*20,10:mss,sok,ts,nop,ws:df",
      // Loopback and other large-MTU links: window equals the MSS.
      "64:*:mss*1,7:mss,sok,ts,nop,ws:df",
    ],
  },
  {
    label: "Linux",
    family: "Linux",
    generic: true,
    sigs: [
      "64:*:*,*:mss,sok,ts,nop,ws:df",
      "64:*:*,*:mss,nop,nop,sok,nop,ws:df",
      "64:*:*,*:mss,sok,ts,nop,ws:",
    ],
  },
  {
    label: "Windows 10/11",
    family: "Windows",
    sigs: ["128:*:64240,8:mss,nop,ws,nop,nop,sok:df", "128:*:65535,8:mss,nop,ws,nop,nop,sok:df"],
  },
  {
    label: "Windows 7/8",
    family: "Windows",
    sigs: [
      "128:*:8192,8:mss,nop,ws,nop,nop,sok:df",
      "128:*:8192,2:mss,nop,ws,nop,nop,sok:df",
      "128:*:8192,0:mss,nop,nop,sok:df",
    ],
  },
  {
    label: "Windows",
    family: "Windows",
    generic: true,
    sigs: [
      "128:*:*,*:mss,nop,ws,nop,nop,sok:df",
      "128:*:*,*:mss,nop,nop,sok:df",
      "128:*:*,*:mss,nop,ws,sok,ts:df",
    ],
  },
  {
    label: "macOS/iOS",
    family: "Apple",
    sigs: [
      "64:*:65535,6:mss,nop,ws,nop,nop,ts,sok,eol+1:df",
      "64:*:65535,5:mss,nop,ws,nop,nop,ts,sok,eol+1:df",
      "64:*:65535,4:mss,nop,ws,nop,nop,ts,sok,eol+1:df",
      "64:*:65535,2:mss,nop,ws,nop,nop,ts,sok,eol+1:df",
    ],
  },
  {
    label: "macOS/iOS",
    family: "Apple",
    generic: true,
    sigs: ["64:*:*,*:mss,nop,ws,nop,nop,ts,sok,eol+1:"],
  },
  {
    label: "FreeBSD",
    family: "FreeBSD",
    sigs: ["64:*:65535,6:mss,nop,ws,sok,ts:df", "64:*:65535,3:mss,nop,ws,sok,ts:df"],
  },
  { label: "FreeBSD", family: "FreeBSD", generic: true, sigs: ["64:*:*,*:mss,nop,ws,sok,ts:"] },
  {
    label: "OpenBSD",
    family: "OpenBSD",
    sigs: [
      "64:*:16384,6:mss,nop,nop,sok,nop,ws,nop,nop,ts:df",
      "64:*:16384,3:mss,nop,nop,sok,nop,ws,nop,nop,ts:df",
    ],
  },
  {
    label: "OpenBSD",
    family: "OpenBSD",
    generic: true,
    sigs: ["64:*:*,*:mss,nop,nop,sok,nop,ws,nop,nop,ts:"],
  },
]);
