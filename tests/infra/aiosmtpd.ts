import { freePort } from "./free_port.ts";
import { startTcpServer } from "./spawn_server.ts";
import type { TestCertificates } from "./test_certificates.ts";

const PYTHON = "/usr/bin/python3";

/** One message the server accepted. */
export interface ReceivedMail {
  mail_from: string;
  rcpt_tos: string[];
  /** The DATA as received (dot-stuffing undone), latin-1 decoded. */
  data: string;
  /** Whether the session had switched to TLS (STARTTLS). */
  tls: boolean;
  /** The AUTH login, or null. */
  login: string | null;
}

/** A private aiosmtpd started for a test. */
export interface SmtpTestServer extends AsyncDisposable {
  port: number;
  /** Messages received so far, in arrival order. */
  received(): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Options for {@linkcode startAiosmtpd}. */
export interface StartAiosmtpdOptions {
  /** Offer STARTTLS with this certificate. */
  certificates?: TestCertificates;
  /** Refuse mail before STARTTLS. @default false */
  requireStarttls?: boolean;
  /** Accept AUTH (PLAIN, LOGIN; after TLS only, aiosmtpd's default) for this one user. */
  auth?: { username: string; password: string };
  /** Listen here (a relay restarted where clients expect it). @default a free port */
  port?: number;
}

/** Why aiosmtpd cannot start here, or undefined when it can. */
export async function aiosmtpdUnavailable(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", "import aiosmtpd"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (out.success) return undefined;
  } catch {
    // no python3
  }
  return "aiosmtpd not installed (Debian package python3-aiosmtpd)";
}

const SCRIPT = `
import json, os, signal, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

cfg = json.loads(sys.argv[1])
inbox = cfg["inbox"]

class Handler:
    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("latin-1"),
            "tls": session.ssl is not None,
            "login": session.auth_data.login.decode() if session.authenticated else None,
        }
        name = "%06d.json" % len(os.listdir(inbox))
        with open(os.path.join(inbox, name + ".tmp"), "w") as f:
            json.dump(record, f)
        os.rename(os.path.join(inbox, name + ".tmp"), os.path.join(inbox, name))
        return "250 OK queued"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login.decode() == cfg["username"]
          and auth_data.password.decode() == cfg["password"])
    return AuthResult(success=ok, handled=False, auth_data=auth_data)

kwargs = {}
if cfg.get("cert"):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cfg["cert"], cfg["key"])
    kwargs["tls_context"] = ctx
    kwargs["require_starttls"] = cfg["require_starttls"]
if cfg.get("username"):
    kwargs["authenticator"] = authenticator
controller = Controller(Handler(), hostname="127.0.0.1", port=cfg["port"], **kwargs)
controller.start()
signal.sigwait([signal.SIGTERM, signal.SIGINT])
controller.stop()
`;

/**
 * Starts Debian's aiosmtpd (python3-aiosmtpd) on a free 127.0.0.1 port with
 * a small script: every accepted message is stored as JSON (envelope, raw
 * DATA, whether the session was TLS, the AUTH login).
 */
export async function startAiosmtpd(options: StartAiosmtpdOptions = {}): Promise<SmtpTestServer> {
  const dir = await Deno.makeTempDir({ prefix: "aiosmtpd-" });
  const inbox = `${dir}/inbox`;
  await Deno.mkdir(inbox);
  await Deno.writeTextFile(`${dir}/server.py`, SCRIPT);
  const port = options.port ?? freePort();
  const cfg = {
    port,
    inbox,
    cert: options.certificates?.certFile,
    key: options.certificates?.keyFile,
    require_starttls: options.requireStarttls ?? false,
    username: options.auth?.username,
    password: options.auth?.password,
  };
  const server = await startTcpServer(PYTHON, [`${dir}/server.py`, JSON.stringify(cfg)], dir, port);
  return {
    port,
    async received() {
      const names = [];
      for await (const entry of Deno.readDir(inbox)) {
        if (entry.name.endsWith(".json")) names.push(entry.name);
      }
      names.sort();
      return await Promise.all(
        names.map(async (n) => JSON.parse(await Deno.readTextFile(`${inbox}/${n}`))),
      );
    },
    close: server.close,
    [Symbol.asyncDispose]: server.close,
  };
}
