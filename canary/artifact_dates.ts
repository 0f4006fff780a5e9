import type { CanaryContext } from "./canary_context.ts";
import { SlugRandom } from "./slug_random.ts";

/** Dates an artifact pretends to have. */
export interface ArtifactDates {
  /** Seconds between the issue instant and `modifiedAt`. */
  backdate: number;
  modifiedAt: Date;
  createdAt: Date;
}

const DAY = 86_400;
// With no issue instant the reference is a slug-derived day in 2025, so the
// bytes still depend on nothing but the context.
const FALLBACK_EPOCH = Date.UTC(2025, 0, 1) / 1000;

/**
 * Derives an artifact's backdate and its created/modified dates from the
 * context: `modifiedAt = issuedAt - backdate`, `createdAt` some days before.
 *
 * @param context the artifact context (its `issuedAt` anchors the dates)
 * @param label separates the random streams of different generators
 * @returns the dates, whole seconds
 */
export function artifactDates(context: CanaryContext, label: string): ArtifactDates {
  const rng = new SlugRandom(context.slug, `dates:${label}`);
  const issued = context.issuedAt ? Date.parse(context.issuedAt) / 1000 : NaN;
  const reference = Number.isFinite(issued)
    ? Math.floor(issued)
    : FALLBACK_EPOCH + rng.int(0, 364) * DAY;
  // Between two weeks and about a year old, at a working hour.
  let backdate = rng.int(14, 380) * DAY + rng.int(0, 8) * 3600 + rng.int(0, 3599);
  // Even seconds: ZIP entries store time with a two-second resolution.
  if ((reference - backdate) % 2 !== 0) backdate += 1;
  const modified = reference - backdate;
  const created = modified - rng.int(0, 40) * DAY - rng.int(600, 7200);
  return {
    backdate,
    modifiedAt: new Date(modified * 1000),
    createdAt: new Date(created * 1000),
  };
}
