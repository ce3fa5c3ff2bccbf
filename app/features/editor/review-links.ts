// What the review links page shows in the browser too (the server side is review-links.server.ts).

/** How long a review link works, in days: the form's bounds and its default. */
export const REVIEW_LINK_DAYS = { min: 1, max: 90, default: 14 } as const;

export type ReviewLinkStatus = "active" | "expired" | "revoked";
