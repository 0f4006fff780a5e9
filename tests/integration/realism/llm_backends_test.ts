// The HTTP backends against local servers speaking the ollama and OpenAI protocols.
import assert from "node:assert/strict";
import { type LLMBackend, OllamaBackend, OpenAiBackend } from "../../../realism/mod.ts";

type Behaviour = "ok" | "hang" | "error500" | "malformed";

interface FakeLlmServer extends AsyncDisposable {
  url: string;
  requests: { path: string; auth: string | null; body: Record<string, unknown> }[];
  /** Resolves when the first request has arrived. */
  received: Promise<void>;
}

function startServer(protocol: "ollama" | "openai", behaviour: Behaviour): FakeLlmServer {
  const controller = new AbortController();
  const requests: FakeLlmServer["requests"] = [];
  const first = Promise.withResolvers<void>();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen: () => {} },
    async (req) => {
      const body = await req.json();
      requests.push({
        path: new URL(req.url).pathname,
        auth: req.headers.get("authorization"),
        body,
      });
      first.resolve();
      if (behaviour === "hang") {
        // Answer only once the client gives up, so the server can close.
        await new Promise((resolve) =>
          req.signal.addEventListener("abort", resolve, { once: true })
        );
        return new Response("late", { status: 200 });
      }
      if (behaviour === "error500") return new Response("boom", { status: 500 });
      if (behaviour === "malformed") return new Response("{not json", { status: 200 });
      const json = protocol === "ollama"
        ? { model: body.model, response: "Remember the backup job.", done: true }
        : { choices: [{ message: { role: "assistant", content: "Remember the backup job." } }] };
      return Response.json(json);
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    received: first.promise,
    async [Symbol.asyncDispose]() {
      controller.abort();
      await server.finished;
    },
  };
}

function backendFor(protocol: "ollama" | "openai", url: string): LLMBackend {
  return protocol === "ollama"
    ? new OllamaBackend({ url, model: "llama3.1" })
    : new OpenAiBackend({ url, model: "local-model", apiKey: "sk-test" });
}

for (const protocol of ["ollama", "openai"] as const) {
  Deno.test(`${protocol} generate() returns the text from a healthy server`, async () => {
    await using server = startServer(protocol, "ok");
    const r = await backendFor(protocol, server.url).generate("hi", { timeoutMs: 5000 });
    assert.equal(r.ok, true);
    assert.equal(r.text, "Remember the backup job.");
    const req = server.requests[0];
    if (protocol === "ollama") {
      assert.equal(req.path, "/api/generate");
      assert.equal(req.body.prompt, "hi");
      assert.equal(req.body.stream, false);
    } else {
      assert.equal(req.path, "/v1/chat/completions");
      assert.equal(req.auth, "Bearer sk-test");
      assert.deepEqual(req.body.messages, [{ role: "user", content: "hi" }]);
    }
  });

  Deno.test(`${protocol} generate() times out on a hanging server`, async () => {
    await using server = startServer(protocol, "hang");
    const r = await backendFor(protocol, server.url).generate("hi", { timeoutMs: 200 });
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /timeout after 200 ms/);
  });

  Deno.test(`${protocol} generate() reports a 500`, async () => {
    await using server = startServer(protocol, "error500");
    const r = await backendFor(protocol, server.url).generate("hi", { timeoutMs: 5000 });
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /HTTP 500/);
  });

  Deno.test(`${protocol} generate() reports malformed JSON`, async () => {
    await using server = startServer(protocol, "malformed");
    const r = await backendFor(protocol, server.url).generate("hi", { timeoutMs: 5000 });
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /malformed JSON/);
  });

  Deno.test(`${protocol} generate() stops when the caller aborts`, async () => {
    await using server = startServer(protocol, "hang");
    const controller = new AbortController();
    const pending = backendFor(protocol, server.url).generate("hi", {
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    // Abort once the server has the request.
    await server.received;
    controller.abort();
    const r = await pending;
    assert.equal(r.ok, false);
    assert.equal(r.error, "aborted");
  });
}

Deno.test("generate() reports an unreachable server", async () => {
  const r = await new OllamaBackend({ url: "http://127.0.0.1:9" }).generate("hi", {
    timeoutMs: 2000,
  });
  assert.equal(r.ok, false);
  assert.ok(r.error);
});
