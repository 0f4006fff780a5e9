import assert from "node:assert/strict";
import { connectSwarmNats } from "../../../core/swarm/mod.ts";
import { natsUnavailable, startNats } from "../../infra/nats.ts";
import { freePort } from "../../infra/free_port.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { spawnDecnet } from "../../infra/spawn_decnet.ts";
import { makeTestCertificates, opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";

Deno.test({
  name: "decnet swarm enroll, agent join over HTTPS and swarm revoke work end to end against " +
    "nats-server configured by decnet swarm nats-config",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "swarm-cli-" });
    const master = `${dir}/master`;
    await Deno.mkdir(master);
    const certs = await makeTestCertificates(dir);
    const natsPort = freePort();
    const env = {
      DECNET_SWARM_NATS_URL: `tls://localhost:${natsPort}`,
      DECNET_SWARM_NATS_CA: certs.caFile,
      DECNET_API_TLS_CERT: certs.certFile,
      DECNET_API_TLS_KEY: certs.keyFile,
      DECNET_API_PORT: "0",
      DECNET_ADMIN_PASSWORD: "correct horse battery staple 42",
    };
    try {
      const rendered = await runDecnet([
        "swarm",
        "nats-config",
        "--cert",
        certs.certFile,
        "--key",
        certs.keyFile,
        "--listen",
        `127.0.0.1:${natsPort}`,
        "-o",
        `${dir}/nats.conf`,
      ], { home: master, env });
      assert.equal(rendered.code, 0, rendered.stderr);
      for (const file of ["authority.json", "issuer.json", "master.creds"]) {
        assert.equal((await Deno.stat(`${master}/swarm/${file}`)).mode! & 0o777, 0o600, file);
      }
      // Seeds are secrets: nothing printed holds one.
      assert.doesNotMatch(rendered.stdout + rendered.stderr, /S[OAU][A-Z2-7]{50,}/);
      await using _nats = await startNats({ configFile: `${dir}/nats.conf`, port: natsPort });
      await using api = spawnDecnet(["api"], { cwd: master, env: { ...env, DECNET_HOME: master } });
      const [, apiUrl] = await api.waitForLine(/listening on (https:\/\/\S+)/, 60_000);
      const apiPort = new URL(apiUrl).port;
      const masterUrl = `https://localhost:${apiPort}`;

      const [alpha, bravo] = await Promise.all(
        ["alpha", "bravo"].map((name) =>
          runDecnet(["swarm", "enroll", name, "--json"], { home: master, env })
        ),
      );
      assert.equal(alpha.code, 0, alpha.stderr);
      assert.equal(bravo.code, 0, bravo.stderr);
      const tokens = [JSON.parse(alpha.stdout).token, JSON.parse(bravo.stdout).token];
      assert.equal(JSON.parse(alpha.stdout).state, "pending");

      const agentHome = (name: string) => `${dir}/agent-${name}`;
      const join = (name: string, token: string) =>
        runDecnet(["agent", "join", masterUrl, "--token", token, "--ca-file", certs.caFile], {
          home: agentHome(name),
          env: {},
        });
      await Deno.mkdir(agentHome("alpha"));
      await Deno.mkdir(agentHome("bravo"));
      await t.step("each agent joins once with its token; the token is spent", async () => {
        const [a, b] = await Promise.all([join("alpha", tokens[0]), join("bravo", tokens[1])]);
        assert.equal(a.code, 0, a.stderr);
        assert.equal(b.code, 0, b.stderr);
        assert.match(a.stdout, /Joined the swarm as alpha/);
        const creds = `${agentHome("alpha")}/swarm/agent.creds`;
        assert.equal((await Deno.stat(creds)).mode! & 0o777, 0o600);
        assert.doesNotMatch(a.stdout + a.stderr, /SU[A-Z2-7]{50,}/);
        const again = await join("alpha", tokens[0]);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /Join refused by the master \(410\): .*used already/);
      });

      const creds = async (name: string) =>
        await Deno.readTextFile(`${agentHome(name)}/swarm/agent.creds`);
      const caFile = `${agentHome("alpha")}/swarm/ca.pem`;
      const natsUrl = env.DECNET_SWARM_NATS_URL;

      await t.step("agents connect over TLS with their own credentials only", async () => {
        const agentA = await connectSwarmNats({
          url: natsUrl,
          caFile,
          creds: await creds("alpha"),
          inboxPrefix: "_INBOX.alpha",
        });
        const errors: string[] = [];
        (async () => {
          for await (const s of agentA.status()) {
            if (s.type === "error") errors.push(s.error.message);
          }
        })().catch(() => {});
        agentA.publish("decnet.agent.bravo.heartbeat", "forged");
        await waitUntil(() => errors.length > 0, { what: "A's publish violation" });
        assert.deepEqual(errors, [
          'Permissions Violation for Publish to "decnet.agent.bravo.heartbeat"',
        ]);
        await agentA.close();
      });

      await t.step(
        "swarm revoke cuts a connected agent off without restarting nats-server",
        async () => {
          const agentA = await connectSwarmNats({
            url: natsUrl,
            caFile,
            creds: await creds("alpha"),
            inboxPrefix: "_INBOX.alpha",
          });
          const agentB = await connectSwarmNats({
            url: natsUrl,
            caFile: `${agentHome("bravo")}/swarm/ca.pem`,
            creds: await creds("bravo"),
            inboxPrefix: "_INBOX.bravo",
          });
          const errors: string[] = [];
          (async () => {
            for await (const s of agentA.status()) {
              if (s.type === "error") errors.push(s.error.message);
            }
          })().catch(() => {});
          // Without nats-server's address the revocation is stored but not in force: exit 1.
          const { DECNET_SWARM_NATS_URL: _url, ...noNats } = env;
          const unpushed = await runDecnet(["swarm", "revoke", "alpha"], {
            home: master,
            env: noNats,
          });
          assert.equal(unpushed.code, 1);
          assert.match(
            unpushed.stderr,
            /Revocation of alpha is stored but nats-server was not told/,
          );
          assert.equal(agentA.isClosed(), false);
          const revoked = await runDecnet(["swarm", "revoke", "alpha"], { home: master, env });
          assert.equal(revoked.code, 0, revoked.stderr);
          assert.match(revoked.stdout, /Revoked alpha \(it was revoked before\)/);
          await waitUntil(
            () => errors.includes("User Authentication Revoked") || agentA.isClosed(),
            {
              what: "A's connection revoked",
              timeoutMs: 10_000,
            },
          );
          await assert.rejects(
            connectSwarmNats({ url: natsUrl, caFile, creds: await creds("alpha") }),
            /Authorization Violation/,
          );
          agentB.publish("decnet.agent.bravo.heartbeat", "b");
          await agentB.flush();
          assert.equal(agentB.isClosed(), false);
          await agentA.close().catch(() => {});
          await agentB.close();
          const hosts = await runDecnet(["swarm", "hosts", "--json"], { home: master, env });
          assert.equal(hosts.code, 0, hosts.stderr);
          const states = JSON.parse(hosts.stdout).items.map((h: { name: string; state: string }) =>
            `${h.name}:${h.state}`
          );
          assert.deepEqual(states, ["alpha:revoked", "bravo:enrolled"]);
          assert.doesNotMatch(hosts.stdout, /token/);
        },
      );

      await t.step("bad input is refused naming the field", async () => {
        const nc = (...args: string[]) =>
          runDecnet(["swarm", "nats-config", "--cert", certs.certFile, "--key", ...args], {
            home: master,
            env,
          });
        const [badName, badUrl, badToken, badTtl, noKey, badListen] = await Promise.all([
          runDecnet(["swarm", "enroll", "Bad_Name"], { home: master, env }),
          runDecnet(["agent", "join", "http://localhost:1", "--token", tokens[1]], {
            home: agentHome("bravo"),
          }),
          runDecnet(["agent", "join", masterUrl, "--token", "nonsense"], {
            home: agentHome("bravo"),
          }),
          runDecnet(["swarm", "enroll", "charlie", "--ttl", "10s"], { home: master, env }),
          nc(`${dir}/no-such.key`),
          nc(certs.keyFile, "--listen", "nowhere"),
        ]);
        assert.equal(badTtl.code, 2);
        assert.match(badTtl.stderr, /--ttl.*expected between 60 s and 604800 s/s);
        assert.equal(noKey.code, 2);
        assert.match(noKey.stderr, /Cannot read --key .*no-such\.key: not a readable file/);
        assert.equal(badListen.code, 2);
        assert.match(badListen.stderr, /--listen.*expected host:port/s);
        assert.equal(badName.code, 2);
        assert.match(badName.stderr, /argument 'name'.*Bad host name "Bad_Name"/s);
        assert.equal(badUrl.code, 2);
        assert.match(badUrl.stderr, /argument 'url'.*expected https:\/\/host\[:port\]/s);
        assert.equal(badToken.code, 2);
        assert.match(badToken.stderr, /--token.*expected NAME\.SECRET/s);
        const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(certs.caFile)] });
        try {
          const res = await fetch(`${masterUrl}/api/v1/swarm/join`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ token: tokens[1], public_key: "not-a-key" }),
            client,
          });
          assert.equal(res.status, 400);
          const body = await res.json();
          assert.equal(body.error.field, "body.public_key");
          assert.match(body.error.message, /expected an nkey user public key/);
        } finally {
          client.close();
        }
      });
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
