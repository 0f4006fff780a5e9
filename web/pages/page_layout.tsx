import type { ComponentChildren, JSX } from "preact";
import type { AuthUser } from "../app_env.ts";
import { EMBEDDED_ASSETS } from "../assets/embedded_assets.ts";

/** Navigation entries: path, label, and whether only admins see it. */
export const NAV_ITEMS: readonly { path: string; label: string; admin?: boolean }[] = [
  { path: "/", label: "Overview" },
  { path: "/fleet", label: "Fleet" },
  { path: "/orchestrator", label: "Orchestrator" },
  { path: "/canary", label: "Canary" },
  { path: "/attackers", label: "Attackers" },
  { path: "/identities", label: "Identities" },
  { path: "/campaigns", label: "Campaigns" },
  { path: "/credentials", label: "Credentials" },
  { path: "/logs", label: "Logs" },
  { path: "/alerts", label: "Alerts" },
  { path: "/personas", label: "Personas" },
  { path: "/realism", label: "Realism" },
  { path: "/workers", label: "Workers" },
  { path: "/swarm", label: "Swarm", admin: true },
  { path: "/audit", label: "Audit", admin: true },
];

/** Props of {@linkcode PageLayout}. */
export interface PageLayoutProps {
  title: string;
  /** The signed-in user; null on the login page (no navigation). */
  user: AuthUser | null;
  /** Path of the current page (marked in the navigation). */
  active?: string;
  /**
   * Whether the page loads the islands bundle.
   * @default true
   */
  islands?: boolean;
  children: ComponentChildren;
}

/** The document shell: head with hashed assets, navigation, the signed-in user and role. */
export function PageLayout(p: PageLayoutProps): JSX.Element {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} · decnet`}</title>
        <link rel="stylesheet" href={EMBEDDED_ASSETS.css.path} />
        {p.islands !== false && <script type="module" src={EMBEDDED_ASSETS.js.path} />}
      </head>
      <body>
        <a class="skip" href="#content">Skip to content</a>
        {p.user && (
          <header class="top">
            <a class="brand" href="/">decnet</a>
            <nav class="main" aria-label="Main">
              <ul>
                {NAV_ITEMS.filter((item) => !item.admin || p.user?.role === "admin").map((item) => (
                  <li key={item.path}>
                    <a
                      href={item.path}
                      aria-current={item.path === p.active ? "page" : undefined}
                    >
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="who">
              <span data-testid="user">{p.user.username}</span>
              <span class="role" data-testid="role">{p.user.role}</span>
              <form method="post" action="/logout">
                <button type="submit">Sign out</button>
              </form>
            </div>
          </header>
        )}
        <main id="content">{p.children}</main>
      </body>
    </html>
  );
}
