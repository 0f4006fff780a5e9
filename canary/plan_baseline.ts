import type { BaitSurveyUser } from "./bait_survey.ts";
import { SlugRandom } from "./slug_random.ts";

/** One baseline bait: which generator, in whose home, and the seed of its shape. */
export interface BaselinePlacement {
  generator: string;
  /** The user whose home receives it. */
  user: BaitSurveyUser;
  /**
   * Seeds the bait's names and paths (repository, app, report topic), so a
   * redeploy of the same decky gives the same files; secrets stay per token.
   */
  shapeSeed: string;
}

/** Options of {@linkcode planBaseline}. */
export interface PlanBaselineOptions {
  /** Generators configured (DECNET_CANARY_BASELINE). */
  baseline: readonly string[];
  /** The decky's users (from its survey). */
  users: readonly BaitSurveyUser[];
  /** Logins of the decky's personas; when given, only their homes receive bait. */
  personaLogins?: readonly string[];
}

/** Regular accounts of a Debian system (adduser's FIRST_UID to LAST_UID). */
const FIRST_UID = 1000;
const LAST_UID = 59999;

/**
 * Plans a decky's baseline bait from its identity: a subset of the
 * configured generators (at least half of them), each in the home of one of
 * the decky's persona users that really exists (uid 1000-59999, a real
 * home), so deckies of one fleet do not carry the same set in the same
 * place. Deterministic: the same seed, baseline and users give the same plan.
 *
 * @param seed the decky's identity (its uuid, else its name)
 * @param options baseline, users and persona logins
 * @returns the placements, in baseline order; empty when no user qualifies
 * @example
 * ```ts
 * import type { BaitSurvey } from "./bait_survey.ts";
 * import { planBaseline } from "./plan_baseline.ts";
 * declare const decky: { uuid: string };
 * declare const survey: BaitSurvey;
 * planBaseline(decky.uuid, { baseline: ["git_config", "env_file"], users: survey.users });
 * ```
 */
export function planBaseline(seed: string, options: PlanBaselineOptions): BaselinePlacement[] {
  const personas = options.personaLogins ? new Set(options.personaLogins) : null;
  const homes = options.users.filter((u) =>
    u.uid >= FIRST_UID && u.uid <= LAST_UID && u.home.startsWith("/") && u.home !== "/" &&
    u.home !== "/nonexistent" && (personas === null || personas.has(u.login))
  ).sort((a, b) => a.uid - b.uid);
  const baseline = [...new Set(options.baseline)];
  if (homes.length === 0 || baseline.length === 0) return [];
  const rng = new SlugRandom(seed, "baseline");
  const count = rng.int(Math.ceil(baseline.length / 2), baseline.length);
  const chosen = new Set(rng.sample(baseline, count));
  return baseline.filter((g) => chosen.has(g)).map((generator) => ({
    generator,
    user: rng.pick(homes),
    shapeSeed: `${seed}:${generator}`,
  }));
}
