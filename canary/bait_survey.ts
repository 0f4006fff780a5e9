/** A login of the decky, as the survey reports it. */
export interface BaitSurveyUser {
  login: string;
  uid: number;
  gid: number;
  /** GECOS real name, "" when none. */
  realName: string;
  home: string;
}

/**
 * The few facts about a decky that bait placement needs. `DeckySurvey` of
 * core/survey has this shape, so a cached survey can be passed as is;
 * {@linkcode readBaitSurvey} reads them with one exec otherwise.
 */
export interface BaitSurvey {
  /** Users from /etc/passwd (only those whose home directory exists, when read by readBaitSurvey). */
  users: readonly BaitSurveyUser[];
  /** When the OS was installed (first dpkg log line, else the oldest mtime under /etc); null when unknown. */
  installedAt: Date | null;
}
