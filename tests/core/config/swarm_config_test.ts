import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../core/config/mod.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};
const load = (env: Record<string, string>) =>
  loadConfig(env, { readTextFile: noFile, cwd: "/srv" });
const messages = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => i.message);
    throw e;
  }
  return [];
};

Deno.test("loadConfig() reads the swarm's NATS URL and CA, unset by default", () => {
  const none = load({});
  assert.equal(none.swarmNatsUrl, null);
  assert.equal(none.swarmNatsCa, null);
  const set = load({
    DECNET_SWARM_NATS_URL: "tls://nats.lan:4222",
    DECNET_SWARM_NATS_CA: "ca.pem",
  });
  assert.equal(set.swarmNatsUrl, "tls://nats.lan:4222");
  assert.equal(set.swarmNatsCa, "/srv/ca.pem");
});

Deno.test("loadConfig() refuses a swarm NATS URL that is not tls://host:port", () => {
  for (const url of ["nats://nats.lan:4222", "tls://nats.lan", "tls://u:p@nats.lan:4222", "x"]) {
    assert.deepEqual(messages({ DECNET_SWARM_NATS_URL: url }), [
      `Cannot read DECNET_SWARM_NATS_URL: expected tls://host:port, got ${
        JSON.stringify(url)
      } (example: DECNET_SWARM_NATS_URL=tls://nats.lan:4222)`,
    ]);
  }
});

Deno.test("loadConfig() wants the API's TLS certificate and key together", () => {
  const both = load({ DECNET_API_TLS_CERT: "api.pem", DECNET_API_TLS_KEY: "api.key" });
  assert.equal(both.apiTlsCert, "/srv/api.pem");
  assert.equal(both.apiTlsKey, "/srv/api.key");
  assert.match(
    messages({ DECNET_API_TLS_CERT: "api.pem" })[0],
    /DECNET_API_TLS_KEY: expected a key file: DECNET_API_TLS_CERT is set/,
  );
  assert.match(
    messages({ DECNET_API_TLS_KEY: "api.key" })[0],
    /DECNET_API_TLS_KEY: expected DECNET_API_TLS_CERT to be set too/,
  );
});
