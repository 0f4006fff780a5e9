import assert from "node:assert/strict";
import { BlobStore, UploadTooLargeError } from "../../canary/mod.ts";

async function withStore(fn: (store: BlobStore, root: string) => Promise<void>, maxBytes?: number) {
  const root = await Deno.makeTempDir({ prefix: "blobs-" });
  try {
    await fn(new BlobStore(root, { maxBytes }), root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const BYTES = new TextEncoder().encode("quarterly report");
const SHA = "a8b3d0b4f8d3c0d19f5ed0b2c7a7dbb1ec7b6d9a0b2a3b9d2e6e2c8d7e0f1a2b";

Deno.test("BlobStore.put() stores under a two-level sha256 fan-out", async () => {
  await withStore(async (store, root) => {
    const blob = await store.put(BYTES);
    assert.equal(blob.sha256, BlobStore.digest(BYTES));
    assert.equal(
      blob.path,
      `${root}/${blob.sha256.slice(0, 2)}/${blob.sha256.slice(2, 4)}/${blob.sha256}`,
    );
    assert.equal(blob.created, true);
    assert.deepEqual(await store.get(blob.sha256), BYTES);
    const leftovers = [
      ...Deno.readDirSync(`${root}/${blob.sha256.slice(0, 2)}/${blob.sha256.slice(2, 4)}`),
    ];
    assert.deepEqual(leftovers.map((e) => e.name), [blob.sha256]);
  });
});

Deno.test("BlobStore.put() is idempotent", async () => {
  await withStore(async (store) => {
    const a = await store.put(BYTES);
    const b = await store.put(BYTES);
    assert.equal(b.created, false);
    assert.equal(a.path, b.path);
  });
});

Deno.test("BlobStore.put() refuses uploads above the limit", async () => {
  await withStore(async (store, root) => {
    await assert.rejects(store.put(new Uint8Array(11)), UploadTooLargeError);
    assert.deepEqual([...Deno.readDirSync(root)], []);
    await store.put(new Uint8Array(10));
  }, 10);
});

Deno.test("BlobStore.release() deletes only when no reference remains", async () => {
  await withStore(async (store) => {
    const { sha256 } = await store.put(BYTES);
    assert.equal(await store.release(sha256, 1), false);
    assert.equal(await store.has(sha256), true);
    assert.equal(await store.release(sha256, 0), true);
    assert.equal(await store.has(sha256), false);
    assert.equal(await store.release(sha256, 0), false);
  });
});

Deno.test("BlobStore.pathFor() refuses anything but a sha256", () => {
  const store = new BlobStore("/srv/blobs");
  assert.throws(() => store.pathFor("../../etc/passwd"), TypeError);
  assert.equal(store.pathFor(SHA), `/srv/blobs/a8/b3/${SHA}`);
});
