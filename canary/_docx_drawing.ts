import { xmlEscape } from "./_xml_escape.ts";

/** Relationship type of an image part. */
export const IMAGE_RELATIONSHIP_TYPE =
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";

/** A `<Relationship>` to an external image at `url`. */
export function externalImageRelationship(id: string, url: string): string {
  return `<Relationship Id="${id}" Type="${IMAGE_RELATIONSHIP_TYPE}" ` +
    `Target="${xmlEscape(url)}" TargetMode="External"/>`;
}

/**
 * A paragraph holding a 1x1 inline picture linked (not embedded) through
 * relationship `rId`: Word fetches it when the document opens. Namespaces
 * are declared locally so it fits any document root.
 */
export function externalImageParagraph(rId: string, docPrId: number): string {
  const size = 9525; // one pixel in EMU
  return `<w:p><w:r><w:drawing>` +
    `<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0" distL="0" distR="0">` +
    `<wp:extent cx="${size}" cy="${size}"/><wp:docPr id="${docPrId}" name="Picture ${docPrId}"/>` +
    `<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">` +
    `<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
    `<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
    `<pic:nvPicPr><pic:cNvPr id="${docPrId}" name="image${docPrId}.png"/><pic:cNvPicPr/></pic:nvPicPr>` +
    `<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:link="${rId}"/>` +
    `<a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${size}" cy="${size}"/></a:xfrm>` +
    `<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
    `</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
}
