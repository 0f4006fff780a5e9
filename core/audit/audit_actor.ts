/** Who performed an action: a signed-in user (with the request's address) or a CLI run. */
export interface AuditActor {
  /** The user name, or `cli`. */
  actor: string;
  actorKind: "user" | "cli";
  /** The operating-system account behind a CLI run. */
  osUser?: string | null;
  /** The client address of an API request. */
  clientIp?: string | null;
}
