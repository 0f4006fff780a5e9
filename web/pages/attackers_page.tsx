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
  /** The host filter in effect: a swarm agent's name or this host's uuid. */
  host?: string;
  /** Hosts to filter by: this host, then the swarm's agents (the filter shows with two or more). */
  hosts: string[];
}

/**
 * Attackers, most recently seen first: live when unfiltered, a search over
 * address, usernames and commands otherwise; `host` narrows them to those
 * that touched a decky of one swarm host.
 */
export function AttackersPage(p: AttackersPageProps): JSX.Element {
  return (
    <PageLayout title="Attackers" user={p.user} active="/attackers">
      <h1>Attackers ({p.total})</h1>
      <form method="get" action="/attackers" class="filters" role="search">
        <label>
          Search <input type="search" name="q" value={p.q} maxLength={200} />
        </label>
        {p.hosts.length > 1 && (
          <label>
            Host{" "}
            <select name="host">
              <option value="">all</option>
              {p.hosts.map((h) => <option key={h} value={h} selected={h === p.host}>{h}</option>)}
            </select>
          </label>
        )}
        <button type="submit">Filter</button>
      </form>
      <section class="card">
        {p.q === "" && p.host === undefined
          ? <Island name="LiveAttackers" props={{ attackers: p.attackers, limit: 200 }} />
          : p.attackers.length === 0
          ? <p class="empty">No attacker matches.</p>
          : <AttackerTable attackers={p.attackers} />}
      </section>
    </PageLayout>
  );
}
