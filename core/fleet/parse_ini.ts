/** One `key = value` line of an INI section. */
export interface IniEntry {
  key: string;
  value: string;
  /** 1-based line number, for error messages. */
  line: number;
}

/** One `[name]` section with its entries in file order. */
export interface IniSection {
  name: string;
  line: number;
  entries: IniEntry[];
}

const SECTION_REGEXP = /^\[([^\]]+)\]$/;
const KEY_REGEXP = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses INI text: `[section]` headers, `key = value` lines, full-line
 * comments starting with `;` or `#`, and inline comments that start with
 * whitespace then `;` or `#` outside quotes. Keys are lower-cased; a key
 * repeated within a section is an error. Entries before the first section
 * are an error too.
 *
 * @param text The file's text.
 * @returns Sections in file order.
 * @throws {SyntaxError} naming the line (and key) that cannot be parsed
 * @example
 * ```ts
 * parseIni("[network]\ndriver = bridge ; default\n")[0].entries[0].value; // "bridge"
 * ```
 */
export function parseIni(text: string): IniSection[] {
  const sections: IniSection[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = stripComment(lines[i]).trim();
    if (line === "") continue;
    const header = SECTION_REGEXP.exec(line);
    if (header) {
      const name = header[1].trim().replace(/\s+/g, " ");
      if (sections.some((s) => s.name === name)) {
        throw new SyntaxError(`Cannot parse line ${lineNo}: section repeated, got "[${name}]"`);
      }
      sections.push({ name, line: lineNo, entries: [] });
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) {
      throw new SyntaxError(
        `Cannot parse line ${lineNo}: expected "[section]" or "key = value", got "${line}"`,
      );
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (!KEY_REGEXP.test(key)) {
      throw new SyntaxError(
        `Cannot parse line ${lineNo}: expected a key of letters, digits, ".", "_" or "-", got "${key}"`,
      );
    }
    const section = sections.at(-1);
    if (!section) {
      throw new SyntaxError(
        `Cannot parse line ${lineNo}, key "${key}": expected a "[section]" header first, got "${line}"`,
      );
    }
    if (section.entries.some((e) => e.key === key)) {
      throw new SyntaxError(
        `Cannot parse line ${lineNo}, key "${key}": key repeated in section, got "[${section.name}]"`,
      );
    }
    section.entries.push({ key, value, line: lineNo });
  }
  return sections;
}

/** Drops a comment: whole-line `;`/`#`, or whitespace + `;`/`#` outside quotes. */
function stripComment(raw: string): string {
  const trimmed = raw.trimStart();
  if (trimmed.startsWith(";") || trimmed.startsWith("#")) return "";
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if ((c === ";" || c === "#") && i > 0 && /\s/.test(raw[i - 1])) return raw.slice(0, i);
  }
  return raw;
}
