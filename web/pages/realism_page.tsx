import type { JSX } from "preact";
import { CANARY_CLASSES, SYSTEM_CLASSES, USER_CLASSES } from "../../realism/mod.ts";
import type { AuthUser } from "../app_env.ts";
import { Island } from "./island.tsx";
import { PageLayout } from "./page_layout.tsx";

/** Realism settings: class weights, canary probability and action mix. */
export function RealismPage(p: { user: AuthUser }): JSX.Element {
  const classes = [
    ...USER_CLASSES.map((name) => ({ name, group: "user" as const })),
    ...SYSTEM_CLASSES.map((name) => ({ name, group: "system" as const })),
    ...CANARY_CLASSES.map((name) => ({ name, group: "canary" as const })),
  ];
  return (
    <PageLayout title="Realism" user={p.user} active="/realism">
      <h1>Realism settings</h1>
      <section class="card">
        <Island
          name="RealismConfigForm"
          props={{ classes, isAdmin: p.user.role === "admin" }}
        />
      </section>
    </PageLayout>
  );
}
