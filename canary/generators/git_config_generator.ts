import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { callbackUrl } from "../callback_url.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { SlugRandom } from "../slug_random.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";
import { projectHistory } from "./_git_projects.ts";
import { gitRepository } from "./_git_repository.ts";
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

const DAY_MS = 86_400_000;

/** The company mail domain a persona's commits carry: the callback host's last two labels. */
function mailDomain(base: string): string {
  const labels = new URL(base).hostname.split(".");
  return labels.length >= 2 ? labels.slice(-2).join(".") : "localdomain";
}

/**
 * A `.git/config` whose origin URL is the callback, so fetch/pull/clone/ls-remote
 * call back; when planted on Linux, the rest of a cloned repository comes
 * with it (objects of a short history, refs, reflogs, hooks, index, work tree).
 */
export const gitConfigGenerator: Generator = {
  name: "git_config",
  kind: "http",
  needs: ["http_base"],
  description: "Git repository config whose remote origin is the HTTP callback",
  generate(context: CanaryContext): Promise<Artifact> {
    requireContext(context, this);
    const rng = new SlugRandom(context.shapeSeed ?? context.slug, "git_config");
    const persona = resolvePersona(context);
    const repo = rng.pick(REPOS);
    const branch = rng.pick(["main", "main", "master", "develop"]);
    const dir = rng.pick([[], ["src"], ["projects"], ["work"]]);
    const windows = persona.os === "windows";
    const url = callbackUrl(context, `/${repo}.git`);
    const lines = [
      "[core]",
      "\trepositoryformatversion = 0",
      `\tfilemode = ${windows ? "false" : "true"}`,
      "\tbare = false",
      "\tlogallrefupdates = true",
      ...(windows ? ["\tsymlinks = false", "\tignorecase = true"] : []),
      `[remote "origin"]`,
      `\turl = ${url}`,
      "\tfetch = +refs/heads/*:refs/remotes/origin/*",
      `[branch "${branch}"]`,
      "\tremote = origin",
      `\tmerge = refs/heads/${branch}`,
    ];
    if (rng.next() < 0.5) lines.push(`[pull]`, `\trebase = ${rng.pick(["false", "true"])}`);
    const dates = artifactDates(context, "git_config");
    const history = projectHistory(repo, rng);
    let at = dates.modifiedAt.getTime() - rng.int(1, 20) * DAY_MS;
    const commits = history.commits.map((c) => ({ ...c, at: new Date(0) })).reverse();
    for (const commit of commits) {
      commit.at = new Date(at - rng.int(0, 3600) * 1000);
      at -= rng.int(1, 30) * DAY_MS;
    }
    commits.reverse();
    const companions = windows ? undefined : {
      anchor: ".git/config",
      files: gitRepository({
        author: { name: persona.name, email: `${persona.login}@${mailDomain(context.httpBase)}` },
        branch,
        remoteUrl: url,
        clonedAt: dates.modifiedAt,
        commits,
      }),
    };
    return Promise.resolve(datedArtifact(gitConfigGenerator, dates, {
      defaultPath: homePath(persona, [...dir, repo, ".git", "config"]),
      ...(companions ? { companions } : {}),
      bytes: lines.join("\n") + "\n",
      mode: 0o644,
      mime: "text/plain",
      notes: `git fetch, pull, clone or ls-remote of origin (${repo}.git) requests the callback.`,
    }));
  },
};
