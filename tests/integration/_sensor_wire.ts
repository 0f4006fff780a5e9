import { findBinary } from "../infra/find_binary.ts";

/**
 * Sends `input` in one write and returns every byte the server sends back
 * until it closes (a guard closes the connection after `guardMs`, so a
 * server that never closes fails the comparison instead of hanging).
 */
export async function exchange(
  port: number,
  input: string | Uint8Array,
  guardMs = 30_000,
): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const guard = setTimeout(() => conn.close(), guardMs);
  const chunks: Uint8Array[] = [];
  try {
    const bytes = typeof input === "string" ? latin1Bytes(input) : input;
    if (bytes.length > 0) await conn.write(bytes);
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch (e) {
        // A reset after the server's last bytes (it closed with our input unread) ends the answer too.
        if (e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BadResource) break;
        throw e;
      }
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
  } finally {
    clearTimeout(guard);
    try {
      conn.close();
    } catch {
      // closed by the guard
    }
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A string holding one character per byte (for readable assertion diffs). */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** The bytes of a string holding one character per byte. */
export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Why nmap cannot run here, or undefined when it can. */
export function nmapUnavailable(): string | undefined {
  return findBinary("nmap") ? undefined : "nmap not installed (Debian package nmap)";
}

/** What nmap -sV says of a port: its service name, product and version. */
export interface NmapService {
  name: string;
  product: string;
  version: string;
}

/**
 * Runs `nmap -sV` against one loopback port and returns what it names there;
 * a lower `intensity` skips the probes a silent service makes nmap wait out.
 */
export async function nmapService(port: number, intensity = 7): Promise<NmapService> {
  const out = await new Deno.Command(findBinary("nmap")!, {
    args: [
      "-sV",
      "--version-intensity",
      String(intensity),
      "-Pn",
      "-n",
      "-p",
      String(port),
      "-oX",
      "-",
      "127.0.0.1",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const xml = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`nmap failed: ${new TextDecoder().decode(out.stderr)}`);
  const tag = /<service ([^>]*)>?/.exec(xml)?.[1] ?? "";
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? "";
  return { name: attr("name"), product: attr("product"), version: attr("version") };
}
