const NAMES: Record<string, string> = {
  en: "English",
  de: "German",
  fr: "French",
  es: "Spanish",
  it: "Italian",
  pt: "Portuguese",
  nl: "Dutch",
  sv: "Swedish",
  da: "Danish",
  no: "Norwegian",
  fi: "Finnish",
  pl: "Polish",
  cs: "Czech",
  ru: "Russian",
  uk: "Ukrainian",
  tr: "Turkish",
  ja: "Japanese",
  zh: "Chinese",
  ko: "Korean",
  ar: "Arabic",
  hi: "Hindi",
  he: "Hebrew",
  el: "Greek",
  ro: "Romanian",
  hu: "Hungarian",
};

/** English name of an ISO 639-1 language, for prompts ("de" -> "German"); the code itself when unknown. */
export function languageName(code: string): string {
  return NAMES[code.toLowerCase()] ?? code;
}
