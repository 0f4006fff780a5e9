/**
 * Canary tokens: the bait (deterministic generators, instrumenters for
 * operator uploads, MIME sniffing, the blob store, placement paths) and the
 * cultivator that turns a `canary_*` content class into an artifact and the
 * token row to insert. Generation is pure: the same context always gives the
 * same bytes. Also the attacker-facing receiver (HTTP and authoritative DNS
 * listeners), re-exported from `receiver/`.
 *
 * @module
 */
export * from "./receiver/mod.ts";
export type { CanaryContext, CanaryPersona, PersonaOs } from "./canary_context.ts";
export { callbackUrl } from "./callback_url.ts";
export { callbackHost } from "./callback_host.ts";
export { mintSlug, SLUG_LENGTH, SLUG_REGEXP } from "./mint_slug.ts";
export { SlugRandom } from "./slug_random.ts";
export { CanaryRequirementError } from "./canary_requirement_error.ts";
export type { CanaryRequirement } from "./canary_requirement_error.ts";
export { resolvePersona } from "./resolve_persona.ts";
export type { ResolvedPersona } from "./resolve_persona.ts";
export { artifactDates } from "./artifact_dates.ts";
export type { ArtifactDates } from "./artifact_dates.ts";
export { homePath } from "./home_path.ts";
export { expandHomePath } from "./expand_home_path.ts";
export { MAX_PLACEMENT_PATH_LENGTH, validatePlacementPath } from "./validate_placement_path.ts";
export { validatePersonaLogin } from "./validate_persona_login.ts";
export type { Artifact, ArtifactKind, Generator } from "./generators/artifact.ts";
export { GENERATOR_TABLE } from "./generators/generator_table.ts";
export { generateArtifact } from "./generators/generate_artifact.ts";
export { INSTRUMENTER_NAMES } from "./instrumenters/instrumenter.ts";
export type {
  Instrumenter,
  InstrumenterName,
  InstrumentOptions,
} from "./instrumenters/instrumenter.ts";
export { InstrumentError } from "./instrumenters/instrument_error.ts";
export { INSTRUMENTER_TABLE } from "./instrumenters/instrumenter_table.ts";
export { sniffMime } from "./sniff_mime.ts";
export type { SniffResult } from "./sniff_mime.ts";
export { instrumentUpload } from "./instrument_upload.ts";
export type { InstrumentedUpload, InstrumentUploadOptions } from "./instrument_upload.ts";
export { BlobStore, DEFAULT_MAX_UPLOAD, UploadTooLargeError } from "./blob_store.ts";
export type { BlobStoreOptions, StoredBlob } from "./blob_store.ts";
export { CONTENT_CLASS_GENERATORS } from "./content_class_generators.ts";
export { cultivateCanary } from "./cultivate_canary.ts";
export type { CultivateCanaryOptions, CultivatedCanary } from "./cultivate_canary.ts";
export { contextFromToken } from "./context_from_token.ts";
export { DEFAULT_PLANT_TIMEOUT_MS, Planter } from "./planter.ts";
export type {
  BaselineDecky,
  BaselineResult,
  PlantArtifact,
  PlanterOptions,
  SeedBaselineResult,
} from "./planter.ts";
export { seedBaseline } from "./seed_baseline.ts";
export { plantContainer, SHELL_SERVICES } from "./plant_container.ts";
export { plantArtifact } from "./plant_artifact.ts";
export type { PlantArtifactOptions, PlantedToken } from "./plant_artifact.ts";
export { removeArtifact } from "./remove_artifact.ts";
export type { PlantTarget } from "./plant_container.ts";
export { issueBlobCanary } from "./issue_blob_canary.ts";
export type { IssueBlobCanaryOptions } from "./issue_blob_canary.ts";
export { issueToken } from "./issue_token.ts";
export type { IssueTokenDeps, IssueTokenRequest } from "./issue_token.ts";
export { readUpload } from "./read_upload.ts";
export { TokenRequestError } from "./token_request_error.ts";
export type { TokenRequestReason } from "./token_request_error.ts";
export { blobArtifact } from "./blob_artifact.ts";
export type { BlobArtifact } from "./blob_artifact.ts";
export {
  ALLOW_LOCAL_CALLBACKS_VARIABLE,
  unplantableCallbackError,
} from "./unplantable_callback_error.ts";
