import { ISLANDS_JS, ISLANDS_JS_HASH, STYLES_CSS, STYLES_CSS_HASH } from "./_generated_assets.ts";

/** One embedded file the dashboard serves. */
export interface EmbeddedAsset {
  /** Hashed URL path, e.g. `/assets/islands.0123abcd.js`. */
  path: string;
  contentType: string;
  body: string;
}

/** The island bundle and stylesheet, at long-cache URLs that change with their content. */
export const EMBEDDED_ASSETS: { js: EmbeddedAsset; css: EmbeddedAsset } = {
  js: {
    path: `/assets/islands.${ISLANDS_JS_HASH}.js`,
    contentType: "text/javascript; charset=utf-8",
    body: ISLANDS_JS,
  },
  css: {
    path: `/assets/styles.${STYLES_CSS_HASH}.css`,
    contentType: "text/css; charset=utf-8",
    body: STYLES_CSS,
  },
};
