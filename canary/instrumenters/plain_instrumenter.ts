import type { CanaryContext } from "../canary_context.ts";
import { callbackHost } from "../callback_host.ts";
import { callbackUrl } from "../callback_url.ts";
import { SlugRandom } from "../slug_random.ts";
import { InstrumentError } from "./instrument_error.ts";
import type { Instrumenter, InstrumentOptions } from "./instrumenter.ts";

const URL_PLACEHOLDER = "{{CANARY_URL}}";
const HOST_PLACEHOLDER = "{{CANARY_HOST}}";
const SLASH_EXTENSIONS = new Set([
  "js",
  "mjs",
  "cjs",
  "ts",
  "tsx",
  "jsx",
  "go",
  "c",
  "h",
  "cc",
  "cpp",
  "hpp",
  "java",
  "cs",
  "kt",
  "swift",
  "rs",
  "scala",
  "php",
  "json5",
  "jsonc",
  "groovy",
  "gradle",
  "dart",
  "proto",
]);
const SEMICOLON_EXTENSIONS = new Set(["ini", "asm", "s", "lisp", "el", "clj", "reg", "ahk", "lsp"]);
const NO_COMMENT_EXTENSIONS = new Set(["json", "xml", "csv", "svg"]);
const PHRASES = ["mirror:", "docs:", "see", "upstream:", "status:", "ref"] as const;

function extensionOf(filename: string | undefined): string {
  const base = (filename ?? "").split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : base.toLowerCase();
}

/** The line-comment prefix that fits a file name, or undefined when the syntax has none. */
function commentPrefix(filename: string | undefined): string | undefined {
  const ext = extensionOf(filename);
  if (NO_COMMENT_EXTENSIONS.has(ext)) return undefined;
  if (SLASH_EXTENSIONS.has(ext)) return "//";
  if (SEMICOLON_EXTENSIONS.has(ext)) return ";";
  return "#";
}

/**
 * Text files: replaces `{{CANARY_URL}}` and `{{CANARY_HOST}}`; without
 * placeholders appends one comment line carrying the callback, with the
 * prefix the file's syntax uses (`#`, `//` or `;`).
 */
export const plainInstrumenter: Instrumenter = {
  name: "plain",
  instrument(
    input: Uint8Array,
    context: CanaryContext,
    options: InstrumentOptions = {},
  ): Promise<Uint8Array> {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch (e) {
      return Promise.reject(
        new InstrumentError("plain", "the file is not UTF-8 text", { cause: e }),
      );
    }
    if (text.includes(URL_PLACEHOLDER) || text.includes(HOST_PLACEHOLDER)) {
      const out = text.replaceAll(URL_PLACEHOLDER, callbackUrl(context))
        .replaceAll(HOST_PLACEHOLDER, callbackHost(context));
      return Promise.resolve(new TextEncoder().encode(out));
    }
    const prefix = commentPrefix(options.filename);
    if (!prefix) {
      return Promise.reject(
        new InstrumentError(
          "plain",
          `"${options.filename}" has no comment syntax; put ${URL_PLACEHOLDER} or ` +
            `${HOST_PLACEHOLDER} where the callback belongs`,
        ),
      );
    }
    const phrase = new SlugRandom(context.slug, "plain").pick(PHRASES);
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const sep = text === "" || text.endsWith("\n") ? "" : eol;
    const line = `${prefix} ${phrase} ${callbackUrl(context)}${eol}`;
    return Promise.resolve(new TextEncoder().encode(text + sep + line));
  },
};
