import type JSZip from "jszip";
import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { callbackUrl } from "../callback_url.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { SlugRandom } from "../slug_random.ts";
import { xmlEscape } from "../_xml_escape.ts";
import { externalImageParagraph, externalImageRelationship } from "../_docx_drawing.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";
import { reportText } from "./_report_text.ts";
import { requireContext } from "./_require_context.ts";

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function paragraph(text: string, style?: string): string {
  const pPr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : "";
  return `<w:p>${pPr}<w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
}

function table(rows: string[][]): string {
  const grid = rows[0].map(() => '<w:gridCol w:w="2200"/>').join("");
  const body = rows.map((r) =>
    `<w:tr>${
      r.map((c) => `<w:tc><w:tcPr><w:tcW w:w="2200" w:type="dxa"/></w:tcPr>${paragraph(c)}</w:tc>`)
        .join("")
    }</w:tr>`
  ).join("");
  return `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>` +
    `<w:tblGrid>${grid}</w:tblGrid>${body}</w:tbl>`;
}

const STYLES = XML_HEAD +
  `<w:styles xmlns:w="${W_NS}">` +
  `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>` +
  `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:sz w:val="48"/></w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>` +
  `<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>` +
  ["top", "left", "bottom", "right", "insideH", "insideV"].map((s) =>
    `<w:${s} w:val="single" w:sz="4" w:space="0" w:color="auto"/>`
  ).join("") +
  `</w:tblBorders></w:tblPr></w:style></w:styles>`;

/**
 * A Word document whose body links an external 1x1 image at the callback,
 * fetched when the document is opened; docProps carry the persona as author
 * and dates matching the backdate.
 */
export const honeydocDocxGenerator: Generator = {
  name: "honeydoc_docx",
  kind: "http",
  needs: ["http_base"],
  description: "Word document (.docx) linking an external image at the HTTP callback",
  async generate(context: CanaryContext): Promise<Artifact> {
    requireContext(context, this);
    const persona = resolvePersona(context);
    const rng = new SlugRandom(context.slug, "honeydoc_docx");
    const report = reportText(context, "docx");
    const dates = artifactDates(context, "honeydoc_docx");
    const imageRid = `rId${rng.int(7, 12)}`;
    const body = [
      paragraph(report.title, "Title"),
      paragraph(`Prepared by ${persona.name}`),
      paragraph(report.heading, "Heading1"),
      ...report.paragraphs.map((p) => paragraph(p)),
      table(report.table),
      externalImageParagraph(imageRid, rng.int(1, 40)),
    ].join("");
    const document = XML_HEAD +
      `<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${body}` +
      `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>` +
      `</w:body></w:document>`;
    const words = report.paragraphs.join(" ").split(/\s+/).length + report.table.flat().length;
    const chars = report.paragraphs.join("").length;
    const files: [string, string][] = [
      [
        "[Content_Types].xml",
        XML_HEAD +
        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
        `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
        `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
        `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
        `</Types>`,
      ],
      [
        "_rels/.rels",
        XML_HEAD +
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
        `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
        `</Relationships>`,
      ],
      ["word/document.xml", document],
      [
        "word/_rels/document.xml.rels",
        XML_HEAD +
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        externalImageRelationship(imageRid, callbackUrl(context)) +
        `</Relationships>`,
      ],
      ["word/styles.xml", STYLES],
      [
        "docProps/core.xml",
        XML_HEAD +
        `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        `<dc:title>${xmlEscape(report.title)}</dc:title><dc:creator>${
          xmlEscape(persona.name)
        }</dc:creator>` +
        `<cp:lastModifiedBy>${xmlEscape(persona.name)}</cp:lastModifiedBy><cp:revision>${
          rng.int(2, 19)
        }</cp:revision>` +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${
          isoSeconds(dates.createdAt)
        }</dcterms:created>` +
        `<dcterms:modified xsi:type="dcterms:W3CDTF">${
          isoSeconds(dates.modifiedAt)
        }</dcterms:modified>` +
        `</cp:coreProperties>`,
      ],
      [
        "docProps/app.xml",
        XML_HEAD +
        `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
        `<Template>Normal.dotm</Template><TotalTime>${rng.int(4, 240)}</TotalTime><Pages>${
          Math.max(1, Math.ceil(words / 450))
        }</Pages>` +
        `<Words>${words}</Words><Characters>${chars}</Characters><Application>Microsoft Office Word</Application>` +
        `<DocSecurity>0</DocSecurity><Lines>${
          Math.ceil(chars / 80)
        }</Lines><Paragraphs>${report.paragraphs.length}</Paragraphs>` +
        `<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>` +
        `<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>`,
      ],
    ];
    // Loaded on first use: the library is large and most workers never build this format.
    const { default: Zip } = await import("jszip");
    const zip: JSZip = new Zip();
    for (const [name, text] of files) {
      zip.file(name, text, { date: dates.modifiedAt, createFolders: false });
    }
    const bytes = await zip.generateAsync({
      type: "uint8array",
      compression: "DEFLATE",
      compressionOptions: { level: 6 },
    });
    return datedArtifact(honeydocDocxGenerator, dates, {
      defaultPath: homePath(persona, [...report.folder, `${report.baseName}.docx`]),
      bytes,
      mode: 0o644,
      mime: DOCX_MIME,
      notes: "Opening the document in Word (or LibreOffice with remote images allowed) " +
        "fetches the linked image from the callback.",
    });
  },
};
