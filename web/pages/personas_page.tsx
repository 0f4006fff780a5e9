import type { JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode PersonasPage}. */
export interface PersonasPageProps {
  user: AuthUser;
  topologies: { id: string; name: string }[];
  /** The topology whose pool is shown; null for the global pool. */
  topology: { id: string; name: string } | null;
}

/** Persona pools: the global one, or a topology's (chosen from the list). */
export function PersonasPage(p: PersonasPageProps): JSX.Element {
  const endpoint = p.topology
    ? `/api/v1/topologies/${encodeURIComponent(p.topology.id)}/personas`
    : "/api/v1/realism/personas";
  return (
    <PageLayout title="Personas" user={p.user} active="/personas">
      <h1>Personas{p.topology ? `: topology ${p.topology.name}` : ""}</h1>
      <nav aria-label="Persona pools" class="subnav">
        <a href="/personas" aria-current={p.topology ? undefined : "page"}>Global pool</a>
        {p.topologies.map((t) => (
          <a
            key={t.id}
            href={`/personas/topology/${encodeURIComponent(t.id)}`}
            aria-current={p.topology?.id === t.id ? "page" : undefined}
          >
            {t.name}
          </a>
        ))}
      </nav>
      <section class="card">
        <Island
          name="PersonaEditor"
          props={{ endpoint, isAdmin: p.user.role === "admin" }}
        />
      </section>
    </PageLayout>
  );
}
