import type { CanaryContext } from "../../canary/mod.ts";
import { findBinary } from "../infra/find_binary.ts";

/** A valid context; override any field. */
export function makeContext(overrides: Partial<CanaryContext> = {}): CanaryContext {
  return {
    slug: "Ab3dEfGh1jKlMn_pQr-tUv",
    httpBase: "https://cdn.example.net",
    dnsZone: "t.example.net",
    persona: { os: "linux" },
    issuedAt: "2026-03-10T12:00:00.000Z",
    ...overrides,
  };
}

/** Result of running a tool. */
export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Debian tool on a temporary file holding `bytes`. */
export async function runToolOn(
  tool: string,
  args: (file: string) => string[],
  bytes: Uint8Array,
  suffix = "",
): Promise<ToolRun> {
  const bin = findBinary(tool);
  if (!bin) throw new Error(`${tool} is not installed (tools/install_test_deps.sh)`);
  const file = await Deno.makeTempFile({ suffix });
  try {
    await Deno.writeFile(file, bytes);
    const out = await new Deno.Command(bin, { args: args(file), stdout: "piped", stderr: "piped" })
      .output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  } finally {
    await Deno.remove(file);
  }
}

/** Asserts an XML text is well-formed, with xmllint. */
export async function xmlWellFormed(xml: string): Promise<ToolRun> {
  return await runToolOn("xmllint", (f) => ["--noout", f], new TextEncoder().encode(xml), ".xml");
}

/** Latin-1 view of bytes, for searching binary artifacts. */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}
