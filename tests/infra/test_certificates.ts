import { findBinary } from "./find_binary.ts";

/** PEM files of a throwaway CA and one server certificate it signed. */
export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Why {@linkcode makeTestCertificates} cannot run here, or undefined when it can. */
export function opensslUnavailable(): string | undefined {
  return findBinary("openssl") ? undefined : "openssl not installed (Debian package openssl)";
}

/** Options for {@linkcode makeTestCertificates}. */
export interface TestCertificatesOptions {
  /** More IP addresses the server certificate names (e.g. a test namespace's). @default [] */
  addresses?: string[];
}

/**
 * Writes a throwaway CA and a server certificate for `localhost` and
 * 127.0.0.1 (P-256, valid two days) into `dir` with Debian's openssl, for
 * servers a test starts with TLS.
 *
 * @example
 * ```ts
 * import { makeTestCertificates } from "./test_certificates.ts";
 * const { caFile, certFile, keyFile } = await makeTestCertificates(await Deno.makeTempDir());
 * ```
 */
export async function makeTestCertificates(
  dir: string,
  options: TestCertificatesOptions = {},
): Promise<TestCertificates> {
  const files = {
    caFile: `${dir}/ca.pem`,
    certFile: `${dir}/server.pem`,
    keyFile: `${dir}/server.key`,
  };
  const ext = `${dir}/server.ext`;
  await Deno.writeTextFile(
    ext,
    `subjectAltName=${
      ["DNS:localhost", "IP:127.0.0.1", ...(options.addresses ?? []).map((a) => `IP:${a}`)].join(
        ",",
      )
    }\n` +
      "basicConstraints=CA:FALSE\n" +
      "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await openssl([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    `${dir}/ca.key`,
    "-out",
    files.caFile,
    "-days",
    "2",
    "-subj",
    "/CN=decnet test CA",
  ]);
  await openssl([
    "req",
    ...ec,
    "-keyout",
    files.keyFile,
    "-out",
    `${dir}/server.csr`,
    "-subj",
    "/CN=localhost",
  ]);
  await openssl([
    "x509",
    "-req",
    "-in",
    `${dir}/server.csr`,
    "-CA",
    files.caFile,
    "-CAkey",
    `${dir}/ca.key`,
    "-CAcreateserial",
    "-out",
    files.certFile,
    "-days",
    "2",
    "-extfile",
    ext,
  ]);
  // Servers that drop privileges (rsyslog, exim) read the key as another user.
  await Deno.chmod(files.keyFile, 0o644);
  return files;
}

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command(findBinary("openssl")!, {
    args,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}
