import enhanceScript from "./enhance.js?url";

/**
 * The handle of every survey page (/s/…). They offer their own language
 * buttons (inside the answers form, so unsaved answers are kept), and they are
 * not hydrated: the root layout leaves React's scripts out and loads only
 * enhance.js, a few kilobytes instead of the ~110 KB (gzip) a hydrated page
 * costs a member on a phone. Everything on them works without any script.
 */
export const surveyPageHandle = { ownLanguageSwitcher: true, hydrate: false, scripts: [enhanceScript] };

/** What the root layout reads from route handles. */
export interface PageHandle {
  ownLanguageSwitcher?: boolean;
  /** false: send the page as HTML only, with `scripts` instead of React's. */
  hydrate?: boolean;
  scripts?: string[];
}
