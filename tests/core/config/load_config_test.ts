import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../core/config/mod.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};

Deno.test("loadConfig() applies defaults when the environment is empty", () => {
  const config = loadConfig({}, { cwd: "/srv/decnet", readTextFile: noFile });
  assert.equal(config.home, "/srv/decnet/var");
  assert.equal(config.dbUrl, "sqlite:/srv/decnet/var/decnet.db");
  assert.equal(config.apiBind, "127.0.0.1");
  assert.equal(config.apiPort, 8000);
  assert.equal(config.jwtSecret, null);
  assert.equal(config.jwtTtlSeconds, 4 * 3600);
  assert.equal(config.adminUser, "admin");
  assert.equal(config.envFile, null);
  assert.ok(Object.isFrozen(config));
});

Deno.test("loadConfig() reports every bad variable at once", () => {
  try {
    loadConfig(
      { DECNET_API_PORT: "abc", DECNET_LOG_LEVEL: "loud", DECNET_JWT_SECRET: "short" },
      { readTextFile: noFile },
    );
    assert.fail("expected ConfigError");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.issues.map((i) => i.variable).sort(), [
      "DECNET_API_PORT",
      "DECNET_JWT_SECRET",
      "DECNET_LOG_LEVEL",
    ]);
    assert.match(e.message, /DECNET_API_PORT: expected a whole number 0-65535, got "abc"/);
    assert.match(e.message, /example: DECNET_API_PORT=8000/);
    // A secret's value is never echoed back.
    assert.doesNotMatch(e.message, /short/);
  }
});

Deno.test("loadConfig() names an unknown DECNET_ variable and suggests the closest", () => {
  assert.throws(
    () => loadConfig({ DECNET_API_PROT: "9000" }, { readTextFile: noFile }),
    /Unknown variable DECNET_API_PROT: did you mean DECNET_API_PORT\?/,
  );
});

Deno.test("loadConfig() reads .env.local and lets the environment win", () => {
  const files: Record<string, string> = {
    "/w/.env.local": "DECNET_API_PORT=9001\nDECNET_LOG_LEVEL=debug\n",
  };
  const read = (p: string) => {
    if (!(p in files)) throw new Deno.errors.NotFound(p);
    return files[p];
  };
  const config = loadConfig({ DECNET_LOG_LEVEL: "warn" }, { cwd: "/w", readTextFile: read });
  assert.equal(config.apiPort, 9001);
  assert.equal(config.logLevel, "warn");
  assert.equal(config.envFile, "/w/.env.local");
});

Deno.test("loadConfig() fails when an explicit env file is missing", () => {
  assert.throws(
    () => loadConfig({}, { envFile: "/nope/env", readTextFile: noFile }),
    /Cannot read env file \/nope\/env \(--env-file\): no such file/,
  );
  assert.throws(
    () => loadConfig({ DECNET_ENV_FILE: "/nope/env" }, { readTextFile: noFile }),
    /DECNET_ENV_FILE/,
  );
});

Deno.test("loadConfig() parses durations, lists and URLs", async (t) => {
  await t.step("durations", () => {
    const c = loadConfig({ DECNET_JWT_TTL: "15m" }, { readTextFile: noFile });
    assert.equal(c.jwtTtlSeconds, 900);
  });
  await t.step("CIDR lists", () => {
    const c = loadConfig(
      { DECNET_CANARY_TRUSTED_PROXIES: "127.0.0.1/32, 2001:db8::/32" },
      { readTextFile: noFile },
    );
    assert.deepEqual(c.canaryTrustedProxies, ["127.0.0.1/32", "2001:db8::/32"]);
    assert.throws(
      () => loadConfig({ DECNET_CANARY_TRUSTED_PROXIES: "10.0.0.0/33" }, { readTextFile: noFile }),
      /prefix length/,
    );
    const api = loadConfig({ DECNET_API_TRUSTED_PROXIES: "::1, 192.0.2.0/24" }, {
      readTextFile: noFile,
    });
    assert.deepEqual(api.apiTrustedProxies, ["::1", "192.0.2.0/24"]);
    assert.deepEqual(loadConfig({}, { readTextFile: noFile }).apiTrustedProxies, []);
    assert.throws(
      () => loadConfig({ DECNET_API_TRUSTED_PROXIES: "proxy.lan" }, { readTextFile: noFile }),
      /DECNET_API_TRUSTED_PROXIES: "proxy.lan" is not an IP address or CIDR block/,
    );
  });
  await t.step("http base without trailing slash", () => {
    const c = loadConfig({ DECNET_CANARY_HTTP_BASE: "https://cdn.example.net/" }, {
      readTextFile: noFile,
    });
    assert.equal(c.canaryHttpBase, "https://cdn.example.net");
  });
  await t.step("http base that fits a token row", () => {
    assert.throws(
      () =>
        loadConfig({ DECNET_CANARY_HTTP_BASE: `https://cdn.example.net/${"a".repeat(500)}` }, {
          readTextFile: noFile,
        }),
      /DECNET_CANARY_HTTP_BASE: expected a URL of at most 512 characters/,
    );
  });
  await t.step("dns zone with room for bait labels", () => {
    assert.throws(
      () =>
        loadConfig({ DECNET_CANARY_DNS_ZONE: `${"a".repeat(60)}.`.repeat(4) + "net" }, {
          readTextFile: noFile,
        }),
      /DECNET_CANARY_DNS_ZONE: expected a DNS name of at most 200 characters/,
    );
  });
  await t.step("baseline generators", () => {
    assert.throws(
      () => loadConfig({ DECNET_CANARY_BASELINE: "git_config,nope" }, { readTextFile: noFile }),
      /DECNET_CANARY_BASELINE: expected one of/,
    );
  });
  await t.step("LLM off words", () => {
    for (const off of ["off", "none", "0", "false", "disabled", ""]) {
      assert.equal(
        loadConfig({ DECNET_REALISM_LLM: off }, { readTextFile: noFile }).realismLlm,
        "",
      );
    }
  });
});

Deno.test("loadConfig() takes any DECNET_ADMIN_PASSWORD (checked when the first admin is created)", () => {
  const config = loadConfig({ DECNET_ADMIN_PASSWORD: "Password2024!" }, { readTextFile: noFile });
  assert.equal(config.adminPassword, "Password2024!");
});

Deno.test("loadConfig() refuses a DECNET_DB_URL the database could not be opened with", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["port not a number", "mysql://decnet:pw-s3cret@db.example:notaport/decnet", /port 1-65535/],
    ["port out of range", "mysql://decnet:pw-s3cret@db.example:70000/decnet", /port 1-65535/],
    ["port zero", "mariadb://decnet:pw-s3cret@db.example:0/decnet", /port 1-65535/],
    ["no database", "mysql://decnet:pw-s3cret@db.example:3306/", /missing database/],
    ["other scheme", "postgres://decnet:pw-s3cret@db.example/decnet", /unsupported scheme/],
  ];
  for (const [name, url, reason] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => loadConfig({ DECNET_DB_URL: url }, { readTextFile: noFile }),
        (e) =>
          e instanceof ConfigError && e.issues[0].variable === "DECNET_DB_URL" &&
          reason.test(e.message) && !e.message.includes("s3cret"),
      );
    });
  }
  await t.step("a good URL is kept as written", () => {
    const url = "mysql://decnet:pw:s3cret@db.example:3307/decnet";
    assert.equal(loadConfig({ DECNET_DB_URL: url }, { readTextFile: noFile }).dbUrl, url);
  });
});
