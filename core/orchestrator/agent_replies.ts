// The orchestrator's agentDeckyOps imports these on its first command to an agent: zod
// (~4.5 MiB in an isolate) then loads only where deckies run on swarm agents.
import { z } from "zod";

const WRITE = z.object({ ok: z.boolean(), exit_code: z.int(), stderr: z.string().max(4096) });
const SURVEY = z.object({ output: z.string(), marker: z.string().regex(/^[0-9a-f]{16}$/) });
const PLANTED = WRITE.extend({ owned: z.boolean() });
const CRON = WRITE.extend({ installed: z.boolean() });
const MAIL = WRITE.extend({ no_lda: z.boolean() });
const SESSION = WRITE.extend({
  failed_step: z.enum(["key", "authorize", "session"]).nullable(),
  authorized_key: z.string().max(1024).nullable(),
  port: z.int().min(1).max(65535),
  gate_error: z.string().max(4096).optional(),
});

/** What each agent command answers, as agentDeckyOps checks it. */
export const AGENT_REPLIES = {
  write: WRITE,
  survey: SURVEY,
  planted: PLANTED,
  cron: CRON,
  mail: MAIL,
  session: SESSION,
};
