import assert from "node:assert/strict";
import { httpService } from "../../core/sensor/http/http_service.ts";
import type { SensorEvent } from "../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { findBinary } from "../infra/find_binary.ts";
import { nginxUnavailable, startNginx } from "../infra/nginx.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { exchange, latin1, nmapService, nmapUnavailable } from "./_sensor_wire.ts";

const H = "Host: files01.example\r\n";
const CLOSE = "Connection: close\r\n";

/** nginx's own answers the sensor must repeat exactly (the application's pages aside). */
const PROBES: [string, string][] = [
  ["404", `GET /nope HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["404 gzipped", `GET /nope HTTP/1.1\r\n${H}Accept-Encoding: gzip, deflate\r\n${CLOSE}\r\n`],
  ["HEAD of a 404", `HEAD /wp-login.php HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["auth_basic 401", `GET /admin/ HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  [
    "auth_basic 401 to a wrong password",
    `GET /admin HTTP/1.1\r\n${H}Authorization: Basic YWRtaW46YWRtaW4=\r\n${CLOSE}\r\n`,
  ],
  ["HEAD of a 401", `HEAD /admin/x HTTP/1.0\r\n\r\n`],
  ["two requests, keep-alive", `GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["garbage line", "HELLO\r\n\r\n"],
  ["HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n"],
  ["TRACE", `TRACE / HTTP/1.1\r\n${H}\r\n`],
  ["too long URI", `GET /${"a".repeat(9000)} HTTP/1.1\r\n${H}\r\n`],
  ["too long header", `GET / HTTP/1.1\r\n${H}X-A: ${"a".repeat(9000)}\r\n\r\n`],
  ["HTTP/0.9", "GET /nope\r\n"],
  ["bad Content-Length", `POST /login HTTP/1.1\r\n${H}Content-Length: x\r\n\r\n`],
];

const dateless = (bytes: Uint8Array) => latin1(bytes).replace(/Date: [^\r]*\r\n/g, "Date: D\r\n");

Deno.test({
  name: "httpService answers nginx's own pages as Debian's nginx 1.22 does, byte for byte",
  ignore: nginxUnavailable() !== undefined,
  async fn() {
    await using nginx = await startNginx({ gifSlugs: [], basicAuthLocation: "/admin" });
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{ service: httpService, options: { port: 0 } }],
      sink: () => {},
    });
    const port = sensor.ports.get("http")!;
    for (const [name, input] of PROBES) {
      const [real, ours] = await Promise.all([exchange(nginx.port, input), exchange(port, input)]);
      assert.equal(dateless(ours), dateless(real), name);
    }
  },
});

async function curl(args: string[]): Promise<{ code: number; stdout: string }> {
  const out = await new Deno.Command(findBinary("curl")!, {
    args: ["-sS", ...args],
    stdout: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test({
  name: "httpService shows curl a sign-in page and records form and Basic credentials",
  ignore: findBinary("curl") === undefined,
  async fn() {
    const events: SensorEvent[] = [];
    await using sensor = serveSensor({
      decky: "files01",
      hostname: "127.0.0.1",
      services: [{ service: httpService, options: { port: 0, hostname: "files01.acme.example" } }],
      sink: (e) => events.push(e),
    });
    const base = `http://127.0.0.1:${sensor.ports.get("http")}`;
    const page = await curl(["--compressed", "-A", "Mozilla/5.0 (X11)", `${base}/`]);
    assert.match(page.stdout, /<title>Acme - files01 - Sign in<\/title>/);
    assert.match(page.stdout, /<form method="post" action="\/login"/);
    const posted = await curl(["-d", "username=j.doe&password=Winter2025%21", `${base}/login`]);
    assert.match(posted.stdout, /Invalid username or password\./);
    const basic = await curl([
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      "-u",
      "admin:s3cret",
      `${base}/admin/`,
    ]);
    assert.equal(basic.stdout, "401");
    await waitUntil(() => events.filter((e) => e.kind === "disconnect").length === 3, {
      what: "3 disconnects",
    });
    const requests = events.filter((e) => e.kind === "request");
    assert.deepEqual(requests.map((e) => [e.method, e.path]), [["GET", "/"], ["POST", "/login"], [
      "GET",
      "/admin/",
    ]]);
    assert.equal(requests[0].user_agent, "Mozilla/5.0 (X11)");
    assert.equal(requests[1].body, "username=j.doe&password=Winter2025%21");
    assert.deepEqual(
      events.filter((e) => e.kind === "credential").map((
        e,
      ) => [e.username, e.secret_kind, e.secret]),
      [["j.doe", "password", "Winter2025!"], ["admin", "http_basic", "s3cret"]],
    );
    assert.ok(!page.stdout.toLowerCase().includes("decnet"));
  },
});

Deno.test({
  name: "httpService takes curl through NTLM under /ews and records a NetNTLMv2 hashcat line",
  ignore: findBinary("curl") === undefined,
  async fn() {
    const events: SensorEvent[] = [];
    await using sensor = serveSensor({
      decky: "mail01",
      hostname: "127.0.0.1",
      services: [{ service: httpService, options: { port: 0, hostname: "mail01.corp.example" } }],
      sink: (e) => events.push(e),
    });
    const base = `http://127.0.0.1:${sensor.ports.get("http")}`;
    const offer = await curl(["-o", "/dev/null", "-D", "-", `${base}/ews/Exchange.asmx`]);
    assert.match(offer.stdout, /\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\n/);
    const ntlm = await curl([
      "--ntlm",
      "-u",
      "CORP\\alice:Summer2025",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{num_connects}",
      `${base}/ews/Exchange.asmx`,
    ]);
    // One connection for the whole handshake, refused at the end as a wrong password is.
    assert.equal(ntlm.stdout, "401 1");
    await waitUntil(() => events.some((e) => e.kind === "credential"), { what: "credential" });
    const credential = events.find((e) => e.kind === "credential")!;
    assert.deepEqual(
      [credential.username, credential.domain, credential.secret_kind, credential.hashcat_mode],
      ["alice", "CORP", "ntlmssp_v2", 5600],
    );
    assert.match(
      String(credential.hashcat_line),
      /^alice::CORP:[0-9a-f]{16}:[0-9a-f]{32}:[0-9a-f]+$/,
    );
  },
});

Deno.test({
  name: "httpService is named nginx 1.22.1 by nmap -sV",
  ignore: nmapUnavailable() !== undefined,
  async fn() {
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{ service: httpService, options: { port: 0 } }],
      sink: () => {},
    });
    const found = await nmapService(sensor.ports.get("http")!);
    assert.deepEqual(found, { name: "http", product: "nginx", version: "1.22.1" });
  },
});
