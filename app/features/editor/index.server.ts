// The survey editor (issue 19): versions, bundles in and out, publishing.
export { exportBundle, importBundle, publishDraft, receiveBundleUpload, versionsPage, type ImportOutcome, type Importer } from "./versions.server";
export { BUNDLE_LIMITS, judgeBundle, type BundleProblem } from "./bundle";
export type { PublishOutcome } from "./versions.server";
export { editorPage, saveEdit, staffZone, type EditOutcome } from "./edit.server";
export { createSurvey, newSurveyPage, type CreateOutcome } from "./create.server";
export { previewPage, previewStep, type PreviewPage, type PreviewRequest } from "./preview.server";
export {
  createReviewLink,
  invalidReviewLink,
  openReviewLink,
  revokeReviewLink,
  reviewLinkAddress,
  reviewLinkSchema,
  reviewLinksPage,
  REVIEW_PAGE_HEADERS,
} from "./review-links.server";
export { changeLifecycle, lifecyclePanel, type LifecycleOutcome, type LifecyclePanel } from "./lifecycle.server";
