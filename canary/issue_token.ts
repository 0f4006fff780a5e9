import type { RecordAudit } from "../core/audit/mod.ts";
import type { CanaryTokenRow, Repositories, RunningDecky } from "../core/db/mod.ts";
import type { BlobStore } from "./blob_store.ts";
import { blobArtifact } from "./blob_artifact.ts";
import type { CanaryPersona } from "./canary_context.ts";
import { CanaryRequirementError } from "./canary_requirement_error.ts";
import { CONTENT_CLASS_GENERATORS } from "./content_class_generators.ts";
import { cultivateCanary } from "./cultivate_canary.ts";
import type { ArtifactKind, Generator } from "./generators/artifact.ts";
import { GENERATOR_TABLE } from "./generators/generator_table.ts";
import { InstrumentError } from "./instrumenters/instrument_error.ts";
import { issueBlobCanary } from "./issue_blob_canary.ts";
import type { PlantArtifact, Planter } from "./planter.ts";
import { readUpload } from "./read_upload.ts";
import { TokenRequestError } from "./token_request_error.ts";
import { unplantableCallbackError } from "./unplantable_callback_error.ts";

/** A token to issue: from a generator or an upload, planted on a decky when `deploy`. */
export interface IssueTokenRequest {
  kind: ArtifactKind;
  /** Exactly one of `generator` and `blob_uuid`. */
  generator?: string;
  blob_uuid?: string;
  deploy: boolean;
  /** Required when `deploy`: a running decky. */
  decky_name?: string;
  /** Required when `deploy`: an absolute or `~/` path (already checked by the placement rule). */
  placement_path?: string;
  /** @default { os: "linux" } */
  persona?: CanaryPersona;
}

/** What {@linkcode issueToken} works with. */
export interface IssueTokenDeps {
  repos: Pick<Repositories, "canary" | "fleet">;
  store: BlobStore;
  planter: Pick<Planter, "plant">;
  config: {
    canaryHttpBase: string;
    canaryDnsZone: string;
    /** Plant bait with a local callback base (tests, labs). */
    canaryAllowLocal: boolean;
  };
  now: () => Date;
  /** Called once the row is inserted, before planting (an audit log line). */
  onIssued?: (token: CanaryTokenRow) => void;
  /** Records `canary_token.created` once issued (a failure when planting failed). */
  audit?: RecordAudit;
}

/**
 * Issues a token: checks the request against the generator or upload and the
 * configuration, mints and inserts the row, and plants the bait on the decky
 * when `deploy` (a failed plant leaves the row in state `failed`).
 *
 * @example
 * ```ts
 * import { issueToken, type IssueTokenDeps } from "./issue_token.ts";
 * declare const deps: IssueTokenDeps;
 * const token = await issueToken(
 *   { kind: "http", generator: "env_file", deploy: false },
 *   deps,
 * );
 * ```
 * @returns the inserted (and possibly planted) row
 * @throws {TokenRequestError} naming the field: `invalid` for bad input,
 *   `not_found` for an unknown blob or decky, `gone` for lost upload bytes
 */
export async function issueToken(
  request: IssueTokenRequest,
  deps: IssueTokenDeps,
): Promise<CanaryTokenRow> {
  const { config, repos } = deps;
  const generator = checkSource(request, config);
  if (request.deploy) checkPlacement(request, generator?.needs, config);

  let upload: { bytes: Uint8Array; filename: string } | undefined;
  if (request.blob_uuid !== undefined) {
    const blob = await repos.canary.getBlob(request.blob_uuid);
    if (!blob) {
      throw new TokenRequestError("blob_uuid", `No such blob: ${request.blob_uuid}`, "not_found");
    }
    upload = { bytes: await readUpload(deps.store, blob), filename: blob.filename };
  }
  let decky: RunningDecky | undefined;
  if (request.deploy) {
    decky = await repos.fleet.findDecky(request.decky_name!, { state: "running" });
    if (!decky) {
      throw new TokenRequestError(
        "decky_name",
        `No running decky named ${request.decky_name}`,
        "not_found",
      );
    }
  }

  const issue = {
    config,
    persona: request.persona ?? { os: "linux" as const },
    now: deps.now(),
    deckyName: decky?.name ?? request.decky_name ?? null,
    deckyUuid: decky?.uuid ?? null,
  };
  let artifact: PlantArtifact;
  let row: Omit<CanaryTokenRow, "callback_token_lc"> & { callback_token_lc?: string };
  if (generator) {
    const contentClass = Object.keys(CONTENT_CLASS_GENERATORS)
      .find((k) => CONTENT_CLASS_GENERATORS[k] === generator.name)!;
    try {
      const cultivated = await cultivateCanary(contentClass, {
        ...issue,
        placementPath: request.placement_path,
      });
      artifact = cultivated.artifact;
      row = cultivated.token;
    } catch (e) {
      if (e instanceof CanaryRequirementError) {
        throw new TokenRequestError("generator", e.message, "invalid", { cause: e });
      }
      throw e;
    }
  } else {
    row = issueBlobCanary(request.blob_uuid!, {
      ...issue,
      placementPath: request.placement_path ?? null,
    });
    try {
      artifact = await blobArtifact(upload!.bytes, { token: row, filename: upload!.filename });
    } catch (e) {
      if (e instanceof InstrumentError) {
        throw new TokenRequestError("blob_uuid", e.message, "invalid", { cause: e });
      }
      throw e;
    }
  }
  const token = await repos.canary.insertToken(row);
  deps.onIssued?.(token);
  const issued = decky ? await deps.planter.plant(decky, { artifact, token }) : token;
  await deps.audit?.({
    action: "canary_token.created",
    target: issued.uuid,
    outcome: issued.state === "failed" ? "failure" : "success",
    detail: {
      kind: issued.kind,
      ...(issued.generator ? { generator: issued.generator } : { blob_uuid: issued.blob_uuid }),
      state: issued.state,
      decky: issued.decky_name,
      placement_path: issued.placement_path,
      ...(issued.last_error ? { error: issued.last_error } : {}),
    },
  });
  return issued;
}

// The bait's source: exactly one of generator and upload, fit for the kind and configuration.
function checkSource(
  request: IssueTokenRequest,
  config: IssueTokenDeps["config"],
): Generator | undefined {
  if ((request.generator === undefined) === (request.blob_uuid === undefined)) {
    throw new TokenRequestError("generator", "expected exactly one of generator or blob_uuid");
  }
  if (request.generator === undefined) {
    if (request.kind !== "http") {
      throw new TokenRequestError("kind", `uploads make "http" bait, got "${request.kind}"`);
    }
    return undefined;
  }
  const generator = GENERATOR_TABLE.get(request.generator);
  if (!generator) {
    throw new TokenRequestError(
      "generator",
      `expected one of ${[...GENERATOR_TABLE.keys()].join(", ")}, got "${request.generator}"`,
    );
  }
  if (generator.kind !== request.kind) {
    throw new TokenRequestError(
      "kind",
      `generator ${generator.name} makes "${generator.kind}" bait, got "${request.kind}"`,
    );
  }
  if (generator.needs.includes("dns_zone") && !config.canaryDnsZone) {
    throw new TokenRequestError(
      "generator",
      `${generator.name} needs a DNS zone (DECNET_CANARY_DNS_ZONE), none is configured`,
    );
  }
  if (generator.needs.includes("http_base") && !config.canaryHttpBase) {
    throw new TokenRequestError(
      "generator",
      `${generator.name} needs DECNET_CANARY_HTTP_BASE, none is configured`,
    );
  }
  return generator;
}

// Planting needs a decky, a Linux path, and a callback base an attacker's host can reach.
function checkPlacement(
  request: IssueTokenRequest,
  needs: Generator["needs"] | undefined,
  config: IssueTokenDeps["config"],
): void {
  if (request.decky_name === undefined) {
    throw new TokenRequestError("decky_name", "required when deploy is true");
  }
  if (request.placement_path === undefined) {
    throw new TokenRequestError("placement_path", "required when deploy is true");
  }
  // Uploads always embed the HTTP callback.
  const needsBase = needs ? needs.includes("http_base") : true;
  const refusal = needsBase
    ? unplantableCallbackError(config.canaryHttpBase, { allowLocal: config.canaryAllowLocal })
    : null;
  if (refusal !== null) throw new TokenRequestError("deploy", refusal);
  if (!/^(\/|~\/)/.test(request.placement_path)) {
    throw new TokenRequestError(
      "placement_path",
      `deckies run Linux containers: expected /… or ~/…, got ${
        JSON.stringify(request.placement_path)
      }`,
    );
  }
}
