import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { callbackUrl } from "../callback_url.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { SlugRandom } from "../slug_random.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";
import { requireContext } from "./_require_context.ts";

const REPOS = [
  "infra-deploy",
  "billing-api",
  "ops-scripts",
  "terraform-live",
  "backoffice",
  "data-pipeline",
  "customer-portal",
  "ansible-playbooks",
  "payments-service",
  "internal-tools",
] as const;

/** A `.git/config` whose origin URL is the callback, so fetch/pull/clone/ls-remote call back. */
export const gitConfigGenerator: Generator = {
  name: "git_config",
  kind: "http",
  needs: ["http_base"],
  description: "Git repository config whose remote origin is the HTTP callback",
  generate(context: CanaryContext): Promise<Artifact> {
    requireContext(context, this);
    const rng = new SlugRandom(context.slug, "git_config");
    const persona = resolvePersona(context);
    const repo = rng.pick(REPOS);
    const branch = rng.pick(["main", "main", "master", "develop"]);
    const windows = persona.os === "windows";
    const lines = [
      "[core]",
      "\trepositoryformatversion = 0",
      `\tfilemode = ${windows ? "false" : "true"}`,
      "\tbare = false",
      "\tlogallrefupdates = true",
      ...(windows ? ["\tsymlinks = false", "\tignorecase = true"] : []),
      `[remote "origin"]`,
      `\turl = ${callbackUrl(context, `/${repo}.git`)}`,
      "\tfetch = +refs/heads/*:refs/remotes/origin/*",
      `[branch "${branch}"]`,
      "\tremote = origin",
      `\tmerge = refs/heads/${branch}`,
    ];
    if (rng.next() < 0.5) lines.push(`[pull]`, `\trebase = ${rng.pick(["false", "true"])}`);
    const dates = artifactDates(context, "git_config");
    return Promise.resolve(datedArtifact(gitConfigGenerator, dates, {
      defaultPath: homePath(persona, [".git", "config"]),
      bytes: lines.join("\n") + "\n",
      mode: 0o644,
      mime: "text/plain",
      notes: `git fetch, pull, clone or ls-remote of origin (${repo}.git) requests the callback.`,
    }));
  },
};
