import type { DeckySurvey } from "../survey/mod.ts";

/** Options for {@linkcode historyForFile}. */
export interface HistoryForFileOptions {
  /** The file, relative to the user's home ("notes/todo.md"). */
  relPath: string;
  /** Created or edited. */
  action: "create" | "edit";
  /** The decky's survey (which editor is installed). */
  survey: DeckySurvey;
  random: () => number;
}

/**
 * The shell lines a user would leave in `~/.bash_history` while creating or
 * editing a file in her home: a look at the directory, the file opened in an
 * editor the decky has (else written with `cat`), a script made executable;
 * only tools of a minimal Debian (coreutils) besides the editor.
 * Pure.
 *
 * @param options the file, what happened to it, the decky and randomness
 * @returns the lines, oldest first
 * @example
 * ```ts
 * import type { DeckySurvey } from "../survey/decky_survey.ts";
 * import { historyForFile } from "./history_for_file.ts";
 * declare const survey: DeckySurvey;
 * const random = Math.random;
 * historyForFile({ relPath: "bin/backup.sh", action: "create", survey, random });
 * // ["ls bin", "nano bin/backup.sh", "chmod +x bin/backup.sh"]
 * ```
 */
export function historyForFile(options: HistoryForFileOptions): string[] {
  const { relPath, action, random } = options;
  const path = /^[\w.\/-]+$/.test(relPath) ? relPath : `'${relPath.replace(/'/g, `'\\''`)}'`;
  const slash = relPath.lastIndexOf("/");
  const dir = slash > 0 ? relPath.slice(0, slash) : null;
  const editor = editorOf(options.survey);
  const lines: string[] = [];
  if (random() < 0.5) lines.push(dir ? `ls ${dir}` : pickOf(random, ["ls", "ls -l", "ls -la"]));
  if (action === "create" && dir && random() < 0.3) lines.unshift(`mkdir -p ${dir}`);
  if (editor) lines.push(`${editor} ${path}`);
  else lines.push(action === "create" ? `cat > ${path}` : `cat >> ${path}`);
  if (action === "create" && /\.(sh|py)$/.test(relPath)) lines.push(`chmod +x ${path}`);
  if (action === "edit" && random() < 0.4) {
    lines.push(pickOf(random, [`cat ${path}`, `wc -l ${path}`, `head ${path}`]));
  }
  return lines;
}

function editorOf(survey: DeckySurvey): string | null {
  if (survey.packages["vim"]) return "vim";
  if (survey.packages["vim-tiny"]) return "vi";
  if (survey.packages["nano"]) return "nano";
  return null;
}

function pickOf(random: () => number, items: readonly string[]): string {
  return items[Math.floor(random() * items.length) % items.length];
}
