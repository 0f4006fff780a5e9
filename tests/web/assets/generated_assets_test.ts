import assert from "node:assert/strict";
import { ASSET_SOURCE_HASH } from "../../../web/assets/_generated_assets.ts";
import { assetSourceHash } from "../../../tools/asset_source_hash.ts";

Deno.test("web/assets/_generated_assets.ts is up to date with islands/ (else: deno task assets)", async () => {
  const hash = await assetSourceHash(new URL("../../../", import.meta.url));
  assert.equal(
    ASSET_SOURCE_HASH,
    hash,
    "islands/ changed since the bundle was generated: run `deno task assets` and commit",
  );
});
