import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { callbackUrl } from "../callback_url.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { xmlEscape } from "../_xml_escape.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";
import { reportText } from "./_report_text.ts";
import { requireContext } from "./_require_context.ts";

/** An HTML report with a 1x1 tracking image at the callback. */
export const honeydocGenerator: Generator = {
  name: "honeydoc",
  kind: "http",
  needs: ["http_base"],
  description: "HTML report with a 1x1 image loaded from the HTTP callback",
  generate(context: CanaryContext): Promise<Artifact> {
    requireContext(context, this);
    const persona = resolvePersona(context);
    const report = reportText(context, "html");
    const dates = artifactDates(context, "honeydoc");
    const rows = report.table.map((r, i) =>
      `<tr>${
        r.map((c) => i === 0 ? `<th>${xmlEscape(c)}</th>` : `<td>${xmlEscape(c)}</td>`).join("")
      }</tr>`
    );
    const html = [
      "<!DOCTYPE html>",
      '<html lang="en">',
      "<head>",
      '<meta charset="utf-8">',
      `<title>${xmlEscape(report.title)}</title>`,
      `<meta name="author" content="${xmlEscape(persona.name)}">`,
      "<style>body{font-family:Arial,sans-serif;margin:2em}table{border-collapse:collapse}" +
      "td,th{border:1px solid #ccc;padding:4px 8px}</style>",
      "</head>",
      "<body>",
      `<h1>${xmlEscape(report.title)}</h1>`,
      `<p><em>Prepared by ${xmlEscape(persona.name)}, ${
        dates.modifiedAt.toISOString().slice(0, 10)
      }</em></p>`,
      ...report.paragraphs.map((p) => `<p>${xmlEscape(p)}</p>`),
      `<table>${rows.join("")}</table>`,
      `<img src="${xmlEscape(callbackUrl(context))}" width="1" height="1" alt="" style="border:0">`,
      "</body>",
      "</html>",
    ];
    return Promise.resolve(datedArtifact(honeydocGenerator, dates, {
      defaultPath: homePath(persona, [...report.folder, `${report.baseName}.html`]),
      bytes: html.join("\n") + "\n",
      mode: 0o644,
      mime: "text/html",
      notes: "Opening the report in a browser or mail client that loads images calls back.",
    }));
  },
};
