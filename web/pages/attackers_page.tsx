import type { JSX } from "preact";
import type { AttackerPayload } from "../../core/bus/mod.ts";
import { AttackerTable } from "../../islands/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode AttackersPage}. */
export interface AttackersPageProps {
  user: AuthUser;
  attackers: AttackerPayload[];
  total: number;
  /** The text filter in effect. */
  q: string;
}

/**
 * Attackers, most recently seen first: live when unfiltered, a search over
 * address, usernames and commands otherwise.
 */
export function AttackersPage(p: AttackersPageProps): JSX.Element {
  return (
    <PageLayout title="Attackers" user={p.user} active="/attackers">
      <h1>Attackers ({p.total})</h1>
      <form method="get" action="/attackers" class="filters" role="search">
        <label>
          Search <input type="search" name="q" value={p.q} maxLength={200} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <section class="card">
        {p.q === ""
          ? <Island name="LiveAttackers" props={{ attackers: p.attackers, limit: 200 }} />
          : p.attackers.length === 0
          ? <p class="empty">No attacker matches.</p>
          : <AttackerTable attackers={p.attackers} />}
      </section>
    </PageLayout>
  );
}
