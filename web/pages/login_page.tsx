import type { JSX } from "preact";
import { PageLayout } from "./page_layout.tsx";

/** Props of {@linkcode LoginPage}. */
export interface LoginPageProps {
  error?: string;
  username?: string;
  /** Where to go after signing in (a local path). */
  next?: string;
}

/** The sign-in form (a plain POST: works without JavaScript). */
export function LoginPage(p: LoginPageProps): JSX.Element {
  return (
    <PageLayout title="Sign in" user={null} islands={false}>
      <div class="login card">
        <h1>Sign in to decnet</h1>
        <form method="post" action="/login" novalidate={false}>
          {p.next && <input type="hidden" name="next" value={p.next} />}
          <label for="username">Username</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            required
            value={p.username ?? ""}
            autofocus
            aria-describedby={p.error ? "login-error" : undefined}
          />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-describedby={p.error ? "login-error" : undefined}
          />
          {p.error && <p id="login-error" class="error" role="alert">{p.error}</p>}
          <button type="submit">Sign in</button>
        </form>
      </div>
    </PageLayout>
  );
}
