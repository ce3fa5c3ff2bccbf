// The survey editor (issue 19): versions, bundles in and out, publishing.
// Its first slice: no editing in the browser yet; bundles are the way in.
export { exportBundle, importBundle, publishDraft, receiveBundleUpload, versionsPage, type ImportOutcome, type Importer } from "./versions.server";
export { BUNDLE_LIMITS, judgeBundle, type BundleProblem } from "./bundle";
export type { PublishOutcome } from "./versions.server";
