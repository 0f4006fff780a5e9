import assert from "node:assert/strict";
import { BlobStore, issueToken, TokenRequestError } from "../../canary/mod.ts";
import type { IssueTokenDeps, IssueTokenRequest } from "../../canary/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";

const NOW = new Date("2026-03-10T12:00:00.000Z");

interface Fixture {
  deps: IssueTokenDeps;
  blobUuid: string;
  lostBlobUuid: string;
}

async function withDeps(
  config: Partial<IssueTokenDeps["config"]>,
  fn: (f: Fixture) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "issue-token-" });
  const handle = await openMigratedDatabase("sqlite::memory:");
  try {
    const repos = createRepositories(handle, { clock: () => NOW });
    const store = new BlobStore(dir);
    const html = new TextEncoder().encode("<html><body><p>Q3</p></body></html>\n");
    const stored = await store.put(html);
    const blob = await repos.canary.insertBlob({
      sha256: stored.sha256,
      filename: "q3.html",
      mime: "text/html",
      size: html.length,
    });
    // A row whose bytes were never stored: the store has lost them.
    const lost = await repos.canary.insertBlob({
      sha256: "0".repeat(64),
      filename: "lost.html",
      mime: "text/html",
      size: 1,
    });
    await repos.fleet.upsert({
      hostUuid: "local",
      name: "gone-01",
      ip: "192.0.2.22",
      services: ["ssh"],
      images: {},
      network: null,
      networkDriver: null,
      osPersona: "linux",
    }, "torn_down");
    await fn({
      deps: {
        repos,
        store,
        planter: {
          plant: () => Promise.reject(new Error("a refused request must not plant")),
        },
        config: {
          canaryHttpBase: "http://192.0.2.10:8088",
          canaryDnsZone: "",
          // A documentation range, refused for planting unless local bases are allowed.
          canaryAllowLocal: true,
          ...config,
        },
        now: () => NOW,
      },
      blobUuid: blob.uuid,
      lostBlobUuid: lost.uuid,
    });
  } finally {
    await handle.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function refusal(
  request: IssueTokenRequest,
  deps: IssueTokenDeps,
): Promise<TokenRequestError> {
  const e = await issueToken(request, deps).then(
    () => assert.fail("expected a TokenRequestError"),
    (e: unknown) => e,
  );
  assert.ok(e instanceof TokenRequestError, String(e));
  return e;
}

Deno.test("issueToken refuses bad requests naming the field", async (t) => {
  await withDeps({}, async ({ deps, blobUuid }) => {
    const cases: [string, IssueTokenRequest, string, RegExp][] = [
      [
        "neither generator nor upload",
        { kind: "http", deploy: false },
        "generator",
        /exactly one/,
      ],
      [
        "both generator and upload",
        { kind: "http", generator: "env_file", blob_uuid: blobUuid, deploy: false },
        "generator",
        /exactly one/,
      ],
      [
        "an unknown generator",
        { kind: "http", generator: "nope", deploy: false },
        "generator",
        /"nope"/,
      ],
      [
        "a kind the generator does not make",
        { kind: "dns", generator: "env_file", deploy: false },
        "kind",
        /makes "http" bait, got "dns"/,
      ],
      [
        "a generator needing an unset DNS zone",
        { kind: "dns", generator: "mysql_dump", deploy: false },
        "generator",
        /DECNET_CANARY_DNS_ZONE/,
      ],
      [
        "an upload as non-http bait",
        { kind: "dns", blob_uuid: blobUuid, deploy: false },
        "kind",
        /uploads make "http" bait/,
      ],
      [
        "deploy without a decky",
        { kind: "http", generator: "env_file", deploy: true, placement_path: "/root/.env" },
        "decky_name",
        /required when deploy/,
      ],
      [
        "deploy without a path",
        { kind: "http", generator: "env_file", deploy: true, decky_name: "ws-01" },
        "placement_path",
        /required when deploy/,
      ],
      [
        "a path that is not Linux",
        {
          kind: "http",
          generator: "env_file",
          deploy: true,
          decky_name: "ws-01",
          placement_path: "C:\\Users\\a\\.env",
        },
        "placement_path",
        /expected \/… or ~\/…/,
      ],
    ];
    for (const [name, request, field, message] of cases) {
      await t.step(name, async () => {
        const e = await refusal(request, deps);
        assert.equal(e.reason, "invalid");
        assert.equal(e.field, field);
        assert.match(e.message, message);
      });
    }
  });
});

Deno.test("issueToken refuses to plant bait calling back to a loopback base", async () => {
  await withDeps(
    { canaryHttpBase: "http://127.0.0.1:8088", canaryAllowLocal: false },
    async ({ deps }) => {
      const request: IssueTokenRequest = {
        kind: "http",
        generator: "env_file",
        deploy: true,
        decky_name: "ws-01",
        placement_path: "/root/.env",
      };
      const e = await refusal(request, deps);
      assert.equal(e.field, "deploy");
      assert.equal(e.reason, "invalid");
    },
  );
});

Deno.test("issueToken answers not_found and gone for missing rows and bytes", async (t) => {
  await withDeps({}, async ({ deps, lostBlobUuid }) => {
    await t.step("an unknown blob", async () => {
      const e = await refusal({
        kind: "http",
        blob_uuid: "00000000-0000-4000-8000-000000000000",
        deploy: false,
      }, deps);
      assert.deepEqual([e.reason, e.field], ["not_found", "blob_uuid"]);
    });
    await t.step("a blob whose bytes are gone", async () => {
      const e = await refusal({ kind: "http", blob_uuid: lostBlobUuid, deploy: false }, deps);
      assert.deepEqual([e.reason, e.field], ["gone", "blob_uuid"]);
    });
    await t.step("a decky that is not running", async () => {
      const e = await refusal({
        kind: "http",
        generator: "env_file",
        deploy: true,
        decky_name: "gone-01",
        placement_path: "/root/.env",
      }, deps);
      assert.deepEqual([e.reason, e.field], ["not_found", "decky_name"]);
    });
    const { items } = await deps.repos.canary.listTokens({ limit: 10, offset: 0 });
    assert.equal(items.length, 0, "a refused request inserts no token");
  });
});

Deno.test("issueToken inserts an issued row without planting when deploy is false", async () => {
  await withDeps({}, async ({ deps, blobUuid }) => {
    const issued: string[] = [];
    const fromGenerator = await issueToken(
      { kind: "http", generator: "env_file", deploy: false },
      { ...deps, onIssued: (row) => issued.push(row.uuid) },
    );
    assert.equal(fromGenerator.state, "issued");
    assert.equal(fromGenerator.generator, "env_file");
    const fromUpload = await issueToken({ kind: "http", blob_uuid: blobUuid, deploy: false }, deps);
    assert.equal(fromUpload.blob_uuid, blobUuid);
    assert.deepEqual(issued, [fromGenerator.uuid]);
    assert.equal((await deps.repos.canary.getToken(fromUpload.uuid))?.kind, "http");
  });
});
