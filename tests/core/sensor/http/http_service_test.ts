import assert from "node:assert/strict";
import { formCredentials } from "../../../../core/sensor/http/form_credentials.ts";
import { httpService } from "../../../../core/sensor/http/http_service.ts";
import { loginPage } from "../../../../core/sensor/http/login_page.ts";
import type { SensorEvent } from "../../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../../core/sensor/serve_sensor.ts";
import { waitUntil } from "../../../infra/wait_until.ts";
import { assertSurvivesBadInput } from "../_bad_input.ts";

const encoder = new TextEncoder();

Deno.test("formCredentials() finds user and password fields under their usual names", () => {
  assert.deepEqual(formCredentials("log=admin&pwd=p%40ss+word&wp-submit=Log+In"), {
    username: "admin",
    password: "p@ss word",
  });
  assert.deepEqual(formCredentials("Email=a%C3%A9%40x&Password=%ZZ"), {
    username: "aé@x",
    password: "%ZZ",
  });
  assert.equal(formCredentials("q=search"), null);
});

Deno.test("loginPage() titles the page after the decky and escapes it", () => {
  assert.match(loginPage({ hostname: "hr" }), /<title>hr - Sign in<\/title>/);
  assert.match(loginPage({ hostname: "hr.globex.example", error: "<bad>" }), /&#60;bad&#62;/);
});

Deno.test("httpService records a refused head with its raw bytes", async () => {
  const events: SensorEvent[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: httpService, options: { port: 0 } }],
    sink: (e) => events.push(e),
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: sensor.ports.get("http")! });
  await conn.write(encoder.encode("\x16\x03\x01junk\r\n\r\n"));
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf);
  assert.match(new TextDecoder().decode(buf.subarray(0, n!)), /^HTTP\/1\.1 400 Bad Request\r\n/);
  conn.close();
  await waitUntil(() => events.some((e) => e.kind === "request"), { what: "request" });
  const request = events.find((e) => e.kind === "request")!;
  assert.equal(request.refused, 400);
  assert.equal(request.raw, "\x16\x03\x01junk\r\n\r\n");
});

Deno.test("httpService survives random, truncated and oversize input and slow clients", async () => {
  await assertSurvivesBadInput(httpService, {
    seeds: [
      encoder.encode(
        "POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 27\r\n\r\nusername=a&password=b&x=yz",
      ),
      encoder.encode("GET /admin/ HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YTpi\r\n\r\n"),
      encoder.encode(
        "GET /ews/ HTTP/1.1\r\nHost: a\r\nAuthorization: NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==\r\n\r\n",
      ),
      encoder.encode(
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      ),
    ],
    hello: encoder.encode("GET / HTTP/1.0\r\n\r\n"),
    greeting: (b) =>
      new TextDecoder().decode(b).startsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"),
  });
});
