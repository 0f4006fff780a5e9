import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { startTcpServer } from "./spawn_server.ts";

/** A private nginx started for a test. */
export interface NginxServer extends AsyncDisposable {
  port: number;
  close(): Promise<void>;
}

/** Options for {@linkcode startNginx}. */
export interface StartNginxOptions {
  /** Slugs whose `/c/<slug>` and `/c/<slug>/...` answer with `empty_gif`. */
  gifSlugs: readonly string[];
  /** `server_tokens off` (Server: nginx) instead of Debian's default (nginx/1.22.1). @default false */
  serverTokensOff?: boolean;
  /** A location behind `auth_basic "Restricted"` (its user file holds one user nobody logs in as). */
  basicAuthLocation?: string;
}

/** Why nginx cannot start here, or undefined when it can. */
export function nginxUnavailable(): string | undefined {
  if (!findBinary("nginx")) return "nginx not installed (Debian package nginx-light)";
  return undefined;
}

/**
 * Starts Debian's nginx in the foreground (`daemon off`) from its own prefix
 * folder on a free loopback port, as a non-root user. The http block repeats
 * Debian bookworm's stock nginx.conf (server_tokens left on, gzip on,
 * sendfile, tcp_nopush, its mime.types) and the stock default site (static
 * root with `try_files $uri $uri/ =404`, here an empty folder), plus
 * `empty_gif` for the given slugs: what an operator would write to serve
 * tracking pixels from a stock install.
 */
export async function startNginx(options: StartNginxOptions): Promise<NginxServer> {
  const dir = await Deno.makeTempDir({ prefix: "nginx-" });
  const port = freePort();
  await Deno.mkdir(`${dir}/html`);
  await Deno.mkdir(`${dir}/logs`);
  const gifs = options.gifSlugs.map((slug) =>
    `    location = /c/${slug} { empty_gif; }\n    location /c/${slug}/ { empty_gif; }\n`
  ).join("");
  const basic = options.basicAuthLocation === undefined
    ? ""
    : `    location ${options.basicAuthLocation} {
      auth_basic "Restricted";
      auth_basic_user_file ${dir}/htpasswd;
    }
`;
  if (basic) {
    // nginx's workers (www-data) read the user file on each request: the temp dir is 0700.
    await Deno.chmod(dir, 0o755);
    await Deno.writeTextFile(`${dir}/htpasswd`, "nobody:$apr1$abcdefgh$1BfLUi3xIhaHuv8fdn04a0\n", {
      mode: 0o644,
    });
  }
  const conf = `${dir}/nginx.conf`;
  await Deno.writeTextFile(
    conf,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events {
  worker_connections 768;
}
http {
  sendfile on;
  tcp_nopush on;
  types_hash_max_size 2048;
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  gzip on;
${options.serverTokensOff ? "  server_tokens off;\n" : ""}  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} default_server;
    root ${dir}/html;
    index index.html index.htm index.nginx-debian.html;
    server_name _;
    location / {
      try_files $uri $uri/ =404;
    }
${gifs}${basic}  }
}
`,
  );
  return await startTcpServer(
    "nginx",
    ["-p", dir, "-c", conf, "-e", `${dir}/logs/error.log`],
    dir,
    port,
  );
}
