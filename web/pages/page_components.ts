/**
 * The dashboard's views, loaded together at the first page the api serves
 * (`import("./page_components.ts")` in pages_router.tsx and create_app.ts):
 * the pages, their islands' server rendering, the layout and preact's
 * renderer stay out of the api Worker until someone opens the dashboard
 * (~5 MiB idle, tests/bench/RESULTS.md "Lazy imports", #20).
 *
 * @example
 * ```ts
 * const p: PageComponents = await import("./page_components.ts");
 * const html = p.renderPage(p.LoginPage({ next: "/fleet" }));
 * ```
 * @module
 */
export { renderPage } from "./render_page.ts";
export { ErrorPage } from "./error_page.tsx";
export { LoginPage } from "./login_page.tsx";
export { OverviewPage } from "./overview_page.tsx";
export { WorkersPage } from "./workers_page.tsx";
export { FleetPage } from "./fleet_page.tsx";
export { DeckyPage } from "./decky_page.tsx";
export { OrchestratorPage } from "./orchestrator_page.tsx";
export { PersonasPage } from "./personas_page.tsx";
export { AlertsPage } from "./alerts_page.tsx";
export { RealismPage } from "./realism_page.tsx";
export { CanaryPage } from "./canary_page.tsx";
export { TokenPage } from "./token_page.tsx";
export { AttackersPage } from "./attackers_page.tsx";
export { AttackerPage } from "./attacker_page.tsx";
export { CredentialsPage } from "./credentials_page.tsx";
export { LogsPage } from "./logs_page.tsx";
export { AuditPage } from "./audit_page.tsx";
export { SwarmPage } from "./swarm_page.tsx";
export { IdentitiesPage } from "./identities_page.tsx";
export { IdentityPage } from "./identity_page.tsx";
export { CampaignsPage } from "./campaigns_page.tsx";
export { CampaignPage } from "./campaign_page.tsx";

/** This module's exports, as `import()` gives them. */
export type PageComponents = typeof import("./page_components.ts");
