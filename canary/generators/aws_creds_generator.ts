import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { SlugRandom } from "../slug_random.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"] as const;

/** `~/.aws/credentials` with [default] and [prod] profiles; passive (no callback). */
export const awsCredsGenerator: Generator = {
  name: "aws_creds",
  kind: "aws_passive",
  needs: [],
  description: "AWS shared credentials file, [default] and [prod] profiles (passive)",
  generate(context: CanaryContext): Promise<Artifact> {
    const rng = new SlugRandom(context.slug, "aws_creds");
    const persona = resolvePersona(context);
    const profile = (name: string) =>
      `[${name}]\naws_access_key_id = AKIA${rng.chars(16, UPPER_ALNUM)}\n` +
      `aws_secret_access_key = ${rng.chars(40, SECRET)}\nregion = ${rng.pick(REGIONS)}\n`;
    const text = `${profile("default")}\n${profile("prod")}`;
    const dates = artifactDates(context, "aws_creds");
    return Promise.resolve(datedArtifact(awsCredsGenerator, dates, {
      defaultPath: homePath(persona, [".aws", "credentials"]),
      bytes: text,
      mode: 0o600,
      mime: "text/plain",
      notes: "Passive bait: the keys are derived from the slug and call nothing back by " +
        "themselves; watch cloud logs for the access key ids.",
    }));
  },
};
