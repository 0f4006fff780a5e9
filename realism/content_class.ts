/** User classes: files a person writes by hand. */
export const USER_CLASSES = ["note", "todo", "draft", "script"] as const;
/** System classes: files the machine writes on its own. */
export const SYSTEM_CLASSES = ["log_cron", "log_daemon", "cache_tmp"] as const;
/** Canary classes: bait whose body comes from a canary generator. */
export const CANARY_CLASSES = [
  "canary_aws_creds",
  "canary_env_file",
  "canary_git_config",
  "canary_ssh_key",
  "canary_honeydoc",
  "canary_honeydoc_docx",
  "canary_honeydoc_pdf",
  "canary_mysql_dump",
] as const;

/** Every content class, as persisted and used on the wire. */
export const CONTENT_CLASSES = [
  ...USER_CLASSES,
  ...SYSTEM_CLASSES,
  "email",
  ...CANARY_CLASSES,
] as const;

/** A user-written file class. */
export type UserClass = typeof USER_CLASSES[number];
/** A machine-written file class. */
export type SystemClass = typeof SYSTEM_CLASSES[number];
/** A canary (bait) class. */
export type CanaryClass = typeof CANARY_CLASSES[number];
/** What a planted thing is; the string is persisted and sent on the wire. */
export type ContentClass = UserClass | SystemClass | "email" | CanaryClass;

const USER_SET: ReadonlySet<string> = new Set(USER_CLASSES);
const CANARY_SET: ReadonlySet<string> = new Set(CANARY_CLASSES);
const ALL_SET: ReadonlySet<string> = new Set(CONTENT_CLASSES);

/** Whether `value` names a content class (for parsing stored or wire values). */
export function isContentClass(value: unknown): value is ContentClass {
  return typeof value === "string" && ALL_SET.has(value);
}

/** Whether the class is written by a person (note, todo, draft, script). */
export function isUser(contentClass: ContentClass): contentClass is UserClass {
  return USER_SET.has(contentClass);
}

/** Whether the class is canary bait. */
export function isCanary(contentClass: ContentClass): contentClass is CanaryClass {
  return CANARY_SET.has(contentClass);
}
