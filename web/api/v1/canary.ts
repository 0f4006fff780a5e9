import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import {
  blobArtifact,
  BlobStore,
  contextFromToken,
  generateArtifact,
  issueToken,
  MAX_PLACEMENT_PATH_LENGTH,
  Planter,
  readUpload,
  sniffMime,
  TokenRequestError,
  UploadTooLargeError,
  validatePersonaLogin,
  validatePlacementPath,
} from "../../../canary/mod.ts";
import { validateDeckyName } from "../../../core/fleet/mod.ts";
import { MAX_PERSONA_NAME_LENGTH, validatePersonaName } from "../../../realism/mod.ts";
import { quoteValue } from "../../../core/log/mod.ts";
import type { CanaryTokenRow, TriggerView } from "../../../core/db/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { requestAudit } from "../../request_audit.ts";
import { HttpError } from "../../http_error.ts";
import { StampedCache } from "../../stamped_cache.ts";
import { zodRule } from "../../zod_rule.ts";
import { blobView, tokenView } from "./_canary_views.ts";

/** The wire shape of a trigger: what the list returns, the bus carries and islands show. */
export type { TriggerView };

/** Path of the upload route, which has its own body limit (DECNET_CANARY_MAX_UPLOAD). */
export const CANARY_UPLOAD_PATH = "/api/v1/canary/blobs";

// Room for the multipart boundaries and part headers around the file.
const MULTIPART_OVERHEAD = 64 * 1024;

const KINDS = ["http", "dns", "aws_passive"] as const;
const STATES = ["issued", "planted", "failed", "revoked"] as const;

const Page = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

// Each field is checked by the rule its source of truth uses (fleet file, planter).
const DeckyName = zodRule(validateDeckyName, 63);
const UuidParams = z.object({ uuid: z.uuid() });

const TokenQuery = Page.extend({
  decky_name: DeckyName.optional(),
  state: z.enum(STATES).optional(),
  kind: z.enum(KINDS).optional(),
});

const Persona = z.object({
  os: z.enum(["linux", "windows"]).default("linux"),
  login: zodRule(validatePersonaLogin, 32).optional(),
  name: zodRule(validatePersonaName, MAX_PERSONA_NAME_LENGTH).optional(),
}).strict();

const CreateToken = z.object({
  kind: z.enum(KINDS),
  generator: z.string().min(1).max(64).optional(),
  blob_uuid: z.uuid().optional(),
  deploy: z.boolean().default(true),
  decky_name: DeckyName.optional(),
  placement_path: zodRule(validatePlacementPath, MAX_PLACEMENT_PATH_LENGTH).optional(),
  persona: Persona.optional(),
}).strict();

function badField(field: string, message: string): HttpError {
  return new HttpError(400, "invalid_request", `Invalid ${field}: ${message}`, { field });
}

/**
 * `/api/v1/canary`: uploaded documents (blobs), tokens (issue, plant,
 * download, revoke) and their triggers (live: `/api/v1/events/stream`). Admin where
 * it changes or reveals bait; viewers read.
 */
export function canaryRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/canary", guard);
  const { config, repos } = deps;
  const tokenLists = new StampedCache<Uint8Array<ArrayBuffer>>();
  const utf8 = new TextEncoder();
  const store = new BlobStore(config.canaryBlobDir, { maxBytes: config.canaryMaxUpload });
  const planter = new Planter({
    docker: deps.docker,
    repos,
    bus: deps.bus,
    log: deps.log.child("planter"),
    now: deps.now,
    config,
  });

  // The app-wide 1 MiB limit skips this route; uploads get their own.
  router.app.post(
    "/blobs",
    bodyLimit({
      maxSize: config.canaryMaxUpload + MULTIPART_OVERHEAD,
      onError: () => {
        throw new HttpError(
          413,
          "payload_too_large",
          `Upload exceeds ${config.canaryMaxUpload} bytes`,
          { field: "file" },
        );
      },
    }),
  );

  router.route({
    method: "post",
    path: "/blobs",
    summary: "Upload a document to make bait from (multipart field `file`)",
    access: "admin",
    responses: {
      200: "Already stored (same sha256)",
      201: "Stored",
      400: "No file or empty",
      413: "Too large",
      415: "No instrumenter fits",
    },
  }, async (c) => {
    const form = await c.req.parseBody().catch(() => {
      throw badField("file", "expected a multipart/form-data body with a file");
    });
    const file = form["file"];
    if (!(file instanceof File)) throw badField("file", "expected a file in field `file`");
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length === 0) throw badField("file", "the file is empty");
    if (bytes.length > config.canaryMaxUpload) throw tooLarge(bytes.length);
    const filename = cleanFilename(file.name);
    const sniffed = sniffMime(bytes, filename);
    if (!sniffed.instrumenter) {
      throw new HttpError(
        415,
        "unsupported_media_type",
        `Cannot make bait from ${sniffed.mime}: no instrumenter fits it`,
        { field: "file" },
      );
    }
    const sha256 = BlobStore.digest(bytes);
    try {
      await store.put(bytes);
    } catch (e) {
      if (e instanceof UploadTooLargeError) throw tooLarge(e.size);
      throw e;
    }
    const existing = await repos.canary.findBlobBySha256(sha256);
    if (existing) return c.json(blobView(existing), 200);
    try {
      const row = await repos.canary.insertBlob({
        sha256,
        filename,
        mime: sniffed.mime,
        size: bytes.length,
      });
      deps.log.info("canary blob stored", { by: c.get("user").username, sha256, filename });
      return c.json(blobView(row), 201);
    } catch (e) {
      // A concurrent upload of the same bytes won the unique sha256.
      const raced = await repos.canary.findBlobBySha256(sha256);
      if (raced) return c.json(blobView(raced), 200);
      throw e;
    }
  });

  router.route({
    method: "get",
    path: "/blobs",
    summary: "Uploaded documents with their token counts",
    access: "viewer",
    query: Page,
  }, async (c, { query }) => {
    const { items, total } = await repos.canary.listBlobs(query);
    return c.json({ items: items.map(blobView), total });
  });

  router.route({
    method: "delete",
    path: "/blobs/:uuid",
    summary: "Delete an upload no token uses",
    access: "admin",
    params: UuidParams,
    responses: { 204: "Deleted", 400: "Not a UUID", 404: "No such blob", 409: "A token uses it" },
  }, async (c, { params: { uuid } }) => {
    const blob = await repos.canary.getBlob(uuid);
    if (!blob) throw noSuch("blob", uuid);
    const outcome = await repos.canary.deleteBlob(uuid);
    if (outcome === "in_use") {
      throw new HttpError(409, "in_use", `Cannot delete blob ${uuid}: a token refers to it`);
    }
    if (outcome === "missing") throw noSuch("blob", uuid);
    await store.release(blob.sha256, 0);
    deps.log.info("canary blob deleted", { by: c.get("user").username, uuid });
    return c.body(null, 204);
  });

  router.route({
    method: "post",
    path: "/tokens",
    summary: "Issue a token from a generator or an upload, and plant it on a decky",
    access: "admin",
    body: CreateToken,
    responses: {
      201: "Issued (state issued, planted, or failed with last_error)",
      400: "Invalid body (the field is named)",
      404: "Unknown blob or decky",
      410: "The blob's bytes are gone",
    },
  }, async (c, { body }) => {
    try {
      const token = await issueToken(body, {
        repos,
        store,
        planter,
        config,
        now: deps.now,
        audit: requestAudit(deps, c),
        onIssued: (token) =>
          deps.log.info("canary token issued", {
            by: c.get("user").username,
            token: token.uuid,
            kind: token.kind,
            ...(token.generator ? { generator: token.generator } : { blob: token.blob_uuid }),
          }),
      });
      return c.json(tokenView(token), 201);
    } catch (e) {
      if (e instanceof TokenRequestError) throw tokenRequestHttpError(e);
      throw e;
    }
  });

  router.route({
    method: "get",
    path: "/tokens",
    summary: "Tokens, newest first (filters decky_name, state, kind)",
    access: "viewer",
    query: TokenQuery,
  }, async (c, { query }) => {
    // Dashboards poll this list: while the database is unchanged, the same bytes are the answer.
    // The stamp is read first, so a change racing the read is seen by the next request.
    const stamp = await deps.changeStamp();
    const key = JSON.stringify(query);
    let body = stamp === null ? undefined : tokenLists.get(key, stamp);
    if (body === undefined) {
      const { items, total } = await repos.canary.listTokens({
        deckyName: query.decky_name,
        state: query.state,
        kind: query.kind,
        limit: query.limit,
        offset: query.offset,
      });
      body = utf8.encode(JSON.stringify({ items: items.map(tokenView), total }));
      if (stamp !== null) tokenLists.set(key, stamp, body);
    }
    return c.body(body, 200, { "Content-Type": "application/json" });
  });

  router.route({
    method: "get",
    path: "/tokens/:uuid",
    summary: "One token",
    access: "viewer",
    params: UuidParams,
    responses: { 200: "The token", 400: "Not a UUID", 404: "No such token" },
  }, async (c, { params }) => c.json(tokenView(await findToken(params.uuid))));

  router.route({
    method: "get",
    path: "/tokens/:uuid/artifact",
    summary: "Download the token's bait (derived again, byte for byte)",
    access: "admin",
    params: UuidParams,
    responses: {
      200: "The file",
      400: "Not a UUID",
      404: "No such token",
      410: "The upload's bytes are gone",
    },
  }, async (c, { params }) => {
    const token = await findToken(params.uuid);
    let bytes: Uint8Array;
    let mime: string;
    let filename: string;
    if (token.generator) {
      const artifact = await generateArtifact(token.generator, contextFromToken(token));
      bytes = artifact.bytes;
      mime = artifact.mime;
      filename = baseName(token.placement_path ?? artifact.defaultPath);
    } else {
      const blob = token.blob_uuid ? await repos.canary.getBlob(token.blob_uuid) : undefined;
      if (!blob) throw new HttpError(410, "gone", `The upload of token ${token.uuid} is gone`);
      const upload = await readUpload(store, blob).catch((e) => {
        throw e instanceof TokenRequestError ? tokenRequestHttpError(e) : e;
      });
      const artifact = await blobArtifact(upload, { token, filename: blob.filename });
      bytes = artifact.bytes;
      mime = artifact.mime;
      filename = blob.filename;
    }
    deps.log.info("canary artifact downloaded", { by: c.get("user").username, token: token.uuid });
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": mime,
      "content-disposition": contentDisposition(filename),
      "x-content-type-options": "nosniff",
    });
  });

  router.route({
    method: "get",
    path: "/tokens/:uuid/triggers",
    summary:
      "A token's triggers, newest first (rollup rows count many hits: hit_count, rollup_scope)",
    access: "viewer",
    query: Page,
    params: UuidParams,
    responses: {
      200: "{items, total}; each item is a TriggerView (id, token_uuid, token_kind, decky_name, " +
        "occurred_at, channel, src_ip, user_agent, method, request_path, dns_qname, " +
        "dns_client_subnet, headers, hit_count, last_at, rollup_scope), the shape " +
        "canary.<token>.triggered carries",
      400: "Not a UUID",
      404: "No such token",
    },
  }, async (c, { query, params }) => {
    const token = await findToken(params.uuid);
    return c.json(await repos.canary.listTriggers(token.uuid, query));
  });

  router.route({
    method: "delete",
    path: "/tokens/:uuid",
    summary: "Revoke a token (its planted file is removed)",
    access: "admin",
    params: UuidParams,
    responses: {
      200: "Revoked (removal errors in last_error)",
      400: "Not a UUID",
      404: "No such token",
    },
  }, async (c, { params: { uuid } }) => {
    const token = await planter.revoke(uuid, { audit: requestAudit(deps, c) });
    if (!token) throw noSuch("token", uuid);
    deps.log.info("canary token revoked", { by: c.get("user").username, token: uuid });
    return c.json(tokenView(token));
  });

  async function findToken(uuid: string): Promise<CanaryTokenRow> {
    const token = await repos.canary.getToken(uuid);
    if (!token) throw noSuch("token", uuid);
    return token;
  }

  function tooLarge(size: number): HttpError {
    return new HttpError(
      413,
      "payload_too_large",
      `Upload exceeds ${config.canaryMaxUpload} bytes, got ${size}`,
      { field: "file" },
    );
  }

  return router;
}

function noSuch(what: "blob" | "token", uuid: string): HttpError {
  return new HttpError(404, "not_found", `No such ${what}: ${quoteValue(uuid)}`, {
    field: "path.uuid",
  });
}

// The function names the request field; the API names it under `body.`.
function tokenRequestHttpError(e: TokenRequestError): HttpError {
  const field = `body.${e.field}`;
  if (e.reason === "invalid") return badField(field, e.message);
  const status = e.reason === "gone" ? 410 : 404;
  return new HttpError(status, e.reason, e.message, { field });
}

function cleanFilename(name: string): string {
  // deno-lint-ignore no-control-regex
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return (base || "upload").slice(0, 255);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? "artifact";
}

function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, "_") || "artifact";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
