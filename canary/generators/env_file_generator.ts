import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { callbackUrl } from "../callback_url.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { SlugRandom } from "../slug_random.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";
import { requireContext } from "./_require_context.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64 = ALNUM + "+/";
const APPS = ["billing", "portal", "crm", "orders", "backoffice", "reports"] as const;

/** An application `.env` whose API_BASE_URL and WEBHOOK_NOTIFY_URL carry the callback. */
export const envFileGenerator: Generator = {
  name: "env_file",
  kind: "http",
  needs: ["http_base"],
  description: "Application .env file; API_BASE_URL and WEBHOOK_NOTIFY_URL call back",
  generate(context: CanaryContext): Promise<Artifact> {
    requireContext(context, this);
    const rng = new SlugRandom(context.slug, "env_file");
    const shape = new SlugRandom(context.shapeSeed ?? context.slug, "env_file:shape");
    const persona = resolvePersona(context);
    const app = shape.pick(APPS);
    const db = shape.pick([["pgsql", "5432"], ["mysql", "3306"]] as const);
    const dir = shape.pick([["app"], [app], ["src", app], ["deploy", app], ["projects", app]]);
    // Hosts that resolve from the decky: its peers, else the machine itself.
    const peers = context.peers ?? [];
    const host = (local: string) => peers.length > 0 ? shape.pick(peers) : local;
    const domain = new URL(context.httpBase).hostname.split(".").slice(-2).join(".");
    const lines = [
      `APP_NAME=${app}`,
      "APP_ENV=production",
      `APP_KEY=base64:${rng.chars(43, B64)}=`,
      "APP_DEBUG=false",
      `APP_URL=http://localhost`,
      "LOG_LEVEL=warning",
      "",
      `DB_CONNECTION=${db[0]}`,
      `DB_HOST=${host("127.0.0.1")}`,
      `DB_PORT=${db[1]}`,
      `DB_DATABASE=${app}_prod`,
      `DB_USERNAME=${app}_app`,
      `DB_PASSWORD=${rng.chars(rng.int(18, 28), ALNUM)}`,
      "",
      `REDIS_URL=redis://${host("127.0.0.1")}:6379/${rng.int(0, 3)}`,
      "QUEUE_CONNECTION=redis",
      "",
      `API_BASE_URL=${callbackUrl(context)}`,
      `API_TOKEN=${rng.chars(40, ALNUM)}`,
      `WEBHOOK_NOTIFY_URL=${callbackUrl(context, "/hooks/notify")}`,
      "",
      "MAIL_MAILER=smtp",
      `MAIL_HOST=${host("localhost")}`,
      "MAIL_PORT=587",
      `MAIL_FROM_ADDRESS=noreply@${domain}`,
    ];
    const dates = artifactDates(context, "env_file");
    return Promise.resolve(datedArtifact(envFileGenerator, dates, {
      defaultPath: homePath(persona, persona.os === "windows" ? [app, ".env"] : [...dir, ".env"]),
      bytes: lines.join("\n") + "\n",
      mode: 0o640,
      mime: "text/plain",
      notes: "Any request to API_BASE_URL or WEBHOOK_NOTIFY_URL calls back.",
    }));
  },
};
