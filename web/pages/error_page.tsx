import type { JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode ErrorPage}. */
export interface ErrorPageProps {
  status: number;
  message: string;
  user: AuthUser | null;
}

/** An HTML error page (404 and friends) for browser routes; the API keeps JSON errors. */
export function ErrorPage(p: ErrorPageProps): JSX.Element {
  return (
    <PageLayout title={`Error ${p.status}`} user={p.user}>
      <h1>{p.status === 404 ? "Page not found" : `Error ${p.status}`}</h1>
      <p>{p.message}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </PageLayout>
  );
}
