import type { JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode PersonasPage}. */
export interface PersonasPageProps {
  user: AuthUser;
}

/** The persona pool the deckies' inhabitants are drawn from. */
export function PersonasPage(p: PersonasPageProps): JSX.Element {
  return (
    <PageLayout title="Personas" user={p.user} active="/personas">
      <h1>Personas</h1>
      <section class="card">
        <Island
          name="PersonaEditor"
          props={{ endpoint: "/api/v1/realism/personas", isAdmin: p.user.role === "admin" }}
        />
      </section>
    </PageLayout>
  );
}
