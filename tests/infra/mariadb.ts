import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { inNetns } from "./in_netns.ts";
import { waitUntil } from "./wait_until.ts";

/** A private MariaDB server started for a test; `close()` stops it and removes its files. */
export interface MariaDbServer extends AsyncDisposable {
  port: number;
  /** Creates an empty database and returns its mysql:// URL. */
  createDatabase(name: string): Promise<string>;
  /** SIGKILLs the server (a crash) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory, and waits until it answers. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Why MariaDB cannot start here, or undefined when it can. */
export function mariaDbUnavailable(): string | undefined {
  if (!findBinary("mariadbd")) return "mariadbd not installed (Debian package mariadb-server)";
  if (!findBinary("mariadb-install-db")) return "mariadb-install-db not installed";
  return undefined;
}

const USER = "decnet_test";
const PASSWORD = "test-only-password";

/** Options for {@linkcode startMariaDb}. */
export interface StartMariaDbOptions {
  /** collation-server (Debian's 50-server.cnf has utf8mb4_general_ci). @default "utf8mb4_unicode_ci" */
  collation?: string;
  /** Run mariadbd inside this network namespace (on its loopback; the socket stays reachable). */
  netns?: string;
}

/**
 * Starts Debian's mariadbd headless on a loopback port with a throwaway data
 * directory: mariadb-install-db, then mariadbd on a private socket.
 */
export async function startMariaDb(options: StartMariaDbOptions = {}): Promise<MariaDbServer> {
  const dir = await Deno.makeTempDir({ prefix: "mariadb-" });
  const datadir = `${dir}/data`;
  const socket = `${dir}/mysqld.sock`;
  // Its own temporary directory: internal temporary tables in the shared /tmp went missing once
  // under a full parallel run ("Error on delete of '/tmp/#sql-temptable-…'").
  const tmpdir = `${dir}/tmp`;
  await Deno.mkdir(tmpdir);
  const port = freePort();
  const install = await new Deno.Command(findBinary("mariadb-install-db")!, {
    args: [
      "--no-defaults",
      `--datadir=${datadir}`,
      "--user=root",
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!install.success) {
    throw new Error(`mariadb-install-db failed: ${new TextDecoder().decode(install.stderr)}`);
  }
  const argv = [
    ...inNetns(options.netns),
    findBinary("mariadbd")!,
  ];
  const spawn = () =>
    new Deno.Command(argv[0], {
      args: [
        ...argv.slice(1),
        "--no-defaults",
        `--datadir=${datadir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        "--bind-address=127.0.0.1",
        "--user=root",
        `--pid-file=${dir}/mysqld.pid`,
        `--tmpdir=${tmpdir}`,
        `--log-error=${dir}/error.log`,
        "--skip-log-bin",
        "--innodb-buffer-pool-size=32M",
        "--innodb-flush-log-at-trx-commit=2",
        "--character-set-server=utf8mb4",
        `--collation-server=${options.collation ?? "utf8mb4_unicode_ci"}`,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
  let child = spawn();
  const client = findBinary("mariadb") ?? findBinary("mysql")!;
  const sqlAsRoot = async (statement: string) => {
    const out = await new Deno.Command(client, {
      args: ["--no-defaults", `--socket=${socket}`, "-uroot", "-e", statement],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  };
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const ready = () =>
    waitUntil(async () => {
      await sqlAsRoot("SELECT 1");
      return true;
    }, { what: "mariadbd", timeoutMs: 30_000 });
  try {
    await ready();
    await sqlAsRoot(
      `CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}';` +
        `GRANT ALL PRIVILEGES ON *.* TO '${USER}'@'%';`,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return {
    port,
    async createDatabase(name: string): Promise<string> {
      if (!/^[a-z0-9_]+$/.test(name)) throw new TypeError(`Bad database name: ${name}`);
      await sqlAsRoot(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
      return `mysql://${USER}:${PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
    },
    async restart() {
      child = spawn();
      await ready();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
