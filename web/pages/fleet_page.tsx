import type { JSX } from "preact";
import type { ListedDecky } from "../../core/db/mod.ts";
import { deckyView } from "../../core/fleet/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** The fleet: every decky with its state, updated live. */
export function FleetPage(p: { user: AuthUser; deckies: ListedDecky[] }): JSX.Element {
  return (
    <PageLayout title="Fleet" user={p.user} active="/fleet">
      <h1>Fleet</h1>
      <section class="card">
        <Island name="FleetTable" props={{ deckies: p.deckies.map(deckyView) }} />
      </section>
    </PageLayout>
  );
}
