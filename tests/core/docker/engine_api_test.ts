// Wire edge cases of decnet's Docker Engine client against a fake daemon on a unix
// socket (the behaviour against the real dockerd is in tests/integration/docker_*).
import assert from "node:assert/strict";
import {
  DockerApiError,
  DockerTimeoutError,
  DockerUnreachableError,
  openDocker,
} from "../../../core/docker/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One request as the fake daemon read it; it answers on `conn`. */
interface FakeRequest {
  method: string;
  path: string;
  headers: string;
  body: Uint8Array;
  conn: Deno.Conn;
}

interface FakeDaemon extends AsyncDisposable {
  dockerHost: string;
  /** Every request so far, by `METHOD path`. */
  seen: string[];
}

/**
 * A unix-socket (or loopback TCP) server that reads each request (head and Content-Length body) and lets
 * `answer` write the reply; the connection closes when `answer` resolves.
 */
async function fakeDaemon(
  answer: (request: FakeRequest) => Promise<void>,
  transport: "unix" | "tcp" = "unix",
): Promise<FakeDaemon> {
  const dir = await Deno.makeTempDir({ prefix: "fake-dockerd-" });
  const listener = transport === "unix"
    ? Deno.listen({ transport: "unix", path: `${dir}/docker.sock` })
    : Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  const serving = new Set<Promise<void>>();
  const serve = async (conn: Deno.Conn) => {
    try {
      const request = await readRequest(conn);
      seen.push(`${request.method} ${request.path}`);
      await answer(request);
    } finally {
      conn.close();
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      const p = serve(conn).catch(() => {});
      serving.add(p);
      p.finally(() => serving.delete(p));
    }
  })();
  return {
    dockerHost: transport === "unix"
      ? `unix://${dir}/docker.sock`
      : `tcp://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    seen,
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      await Promise.all(serving);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function readRequest(conn: Deno.Conn): Promise<FakeRequest> {
  let bytes = new Uint8Array(0);
  const buffer = new Uint8Array(65536);
  let headEnd = -1;
  while (headEnd < 0) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("client closed before its request");
    bytes = new Uint8Array([...bytes, ...buffer.subarray(0, n)]);
    headEnd = decoder.decode(bytes).indexOf("\r\n\r\n");
  }
  const head = decoder.decode(bytes.subarray(0, headEnd));
  const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
  while (bytes.length < headEnd + 4 + length) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("client closed inside its request body");
    bytes = new Uint8Array([...bytes, ...buffer.subarray(0, n)]);
  }
  const [method, path] = head.split(" ");
  return {
    method,
    path,
    headers: head,
    body: bytes.subarray(headEnd + 4, headEnd + 4 + length),
    conn,
  };
}

async function write(conn: Deno.Conn, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
}

function json(status: number, value: unknown): string {
  const body = JSON.stringify(value);
  return `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${encoder.encode(body).length}\r\n\r\n${body}`;
}

/** Docker's multiplexed frame: stream 1 stdout, 2 stderr. */
function frame(stream: 1 | 2, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}

/** Resolves once the peer closes (or resets) the connection. */
async function untilClosed(conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(4096);
  try {
    while (await conn.read(buffer) !== null) { /* discard */ }
  } catch (e) {
    if (!(e instanceof Deno.errors.ConnectionReset)) throw e;
  }
}

Deno.test("openDocker() reaches a daemon over tcp://host:port, naming it in Host", async () => {
  let headers = "";
  await using daemon = await fakeDaemon(async (r) => {
    headers = r.headers;
    await write(
      r.conn,
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK",
    );
  }, "tcp");
  await using docker = openDocker({ dockerHost: daemon.dockerHost });
  await docker.ping();
  assert.deepEqual(daemon.seen, ["GET /_ping"]);
  assert.match(headers, new RegExp(`\r\nHost: ${daemon.dockerHost.slice("tcp://".length)}\r\n`));
});

Deno.test("openDocker() reports a daemon that closes mid-reply as unreachable", async (t) => {
  const replies = {
    "before the reply": "",
    "inside the head": "HTTP/1.1 200 OK\r\nContent-Ty",
    "inside a Content-Length body":
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{"Id":',
    "inside a chunked body": 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n[{"Id":',
  };
  for (const [name, reply] of Object.entries(replies)) {
    await t.step(name, async () => {
      await using daemon = await fakeDaemon((r) => write(r.conn, reply));
      await using docker = openDocker({ dockerHost: daemon.dockerHost });
      await assert.rejects(docker.listContainers(), (e) => {
        assert.ok(e instanceof DockerUnreachableError, String(e));
        assert.equal(
          e.message,
          `Cannot list containers: Docker daemon unreachable (ECONNRESET), got "${daemon.dockerHost}"`,
        );
        return true;
      });
    });
  }
});

Deno.test("openDocker() maps an error reply to DockerApiError with the daemon's message", async () => {
  await using daemon = await fakeDaemon((r) =>
    write(
      r.conn,
      r.path.startsWith("/containers/box9")
        ? json(404, { message: "No such container: box9" })
        : "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n\r\n404 page not found\n",
    )
  );
  await using docker = openDocker({ dockerHost: daemon.dockerHost });
  assert.equal(await docker.inspectContainer("box9"), undefined);
  await assert.rejects(docker.exec("box9", ["true"]), (e) => {
    assert.ok(e instanceof DockerApiError);
    assert.equal(e.status, 404);
    assert.equal(
      e.message,
      'Cannot exec "true" in container "box9": No such container: box9, got "HTTP 404"',
    );
    return true;
  });
  await assert.rejects(
    docker.listNetworks(),
    (e) => e instanceof DockerApiError && e.message.includes(": 404 page not found, got"),
  );
  assert.deepEqual(daemon.seen, [
    "GET /containers/box9/json",
    "POST /containers/box9/exec",
    `GET /networks?filters=${encodeURIComponent('{"label":[]}')}`,
  ]);
});

Deno.test("openDocker() closes the connection of a call that times out", async () => {
  let closed!: () => void;
  const connectionClosed = new Promise<void>((resolve) => closed = resolve);
  await using daemon = await fakeDaemon(async (r) => {
    await untilClosed(r.conn); // never answers
    closed();
  });
  await using docker = openDocker({ dockerHost: daemon.dockerHost, timeoutMs: 50 });
  await assert.rejects(docker.ping(), (e) => e instanceof DockerTimeoutError && e.timeoutMs === 50);
  await connectionClosed;
});

Deno.test("followLogs() ends without an error when its signal aborts, and closes the connection", async (t) => {
  const LINE = "2026-12-01T20:00:00.000000001Z hello\n";
  for (const when of ["as an entry arrives", "while it waits for the next"]) {
    await t.step(when, async () => {
      let closed!: () => void;
      const connectionClosed = new Promise<void>((resolve) => closed = resolve);
      await using daemon = await fakeDaemon(async (r) => {
        const first = frame(1, encoder.encode(LINE));
        await write(
          r.conn,
          `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${first.length.toString(16)}\r\n`,
        );
        await write(r.conn, new Uint8Array([...first, 13, 10]));
        await untilClosed(r.conn); // the stream stays open: only the client ends it
        closed();
      });
      await using docker = openDocker({ dockerHost: daemon.dockerHost });
      const controller = new AbortController();
      const entries = docker.followLogs("box1", { signal: controller.signal })[
        Symbol.asyncIterator
      ]();
      const first = await entries.next();
      assert.equal(first.done ? "" : `${first.value.time} ${first.value.text}`, LINE);
      if (when === "as an entry arrives") controller.abort();
      const next = entries.next(); // reads on: nothing comes
      if (when === "while it waits for the next") controller.abort();
      assert.deepEqual(await next, { done: true, value: undefined });
      await connectionClosed;
      assert.match(daemon.seen[0], /^GET \/containers\/box1\/logs\?follow=true&stdout=true/);
    });
  }
});

Deno.test("exec() streams stdin larger than the socket buffers while it reads the output", async () => {
  const stdin = new Uint8Array(8 << 20).map((_, i) => (i * 7) % 251);
  let startHeaders = "";
  await using daemon = await fakeDaemon(async (r) => {
    if (r.path === "/containers/box1/exec") {
      const config = JSON.parse(decoder.decode(r.body));
      assert.deepEqual(config.Cmd, ["cat"]);
      assert.equal(config.AttachStdin, true);
      return await write(r.conn, json(201, { Id: "e1" }));
    }
    if (r.path === "/exec/e1/start") {
      startHeaders = r.headers;
      // The head and the first frame in one write, as the daemon may send them.
      await write(
        r.conn,
        new Uint8Array([
          ...encoder.encode("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"),
          ...frame(2, encoder.encode("ready\n")),
        ]),
      );
      // `cat`: echo every read as a stdout frame until stdin's end. A client that wrote all
      // of stdin before reading would wait forever once both directions' buffers are full.
      const buffer = new Uint8Array(100_000);
      for (let n = await r.conn.read(buffer); n !== null; n = await r.conn.read(buffer)) {
        await write(r.conn, frame(1, buffer.subarray(0, n)));
      }
      return;
    }
    await write(r.conn, json(200, { Running: false, ExitCode: 0, Pid: 0 }));
  });
  await using docker = openDocker({ dockerHost: daemon.dockerHost, timeoutMs: 60_000 });
  const result = await docker.exec("box1", ["cat"], { stdin });
  assert.equal(result.exitCode, 0);
  assert.equal(decoder.decode(result.stderr), "ready\n");
  assert.equal(result.stdout.length, stdin.length);
  assert.ok(result.stdout.every((b, i) => b === stdin[i]), "stdout is stdin, byte for byte");
  assert.match(startHeaders, /\r\nConnection: Upgrade\r\nUpgrade: tcp/);
  assert.deepEqual(daemon.seen, [
    "POST /containers/box1/exec",
    "POST /exec/e1/start",
    "GET /exec/e1/json",
  ]);
});
