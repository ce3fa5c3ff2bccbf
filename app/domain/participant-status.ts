/** The participants list's vocabulary, shared by its model (the queries) and its page (the filters). */

/**
 * Where a person stands in a consultation; a bounce outranks everything, then a submission, an unsubscription
 * (no more invitations or reminders), a started answer, an invitation.
 */
export const PARTICIPANT_STATUSES = ["notInvited", "invited", "started", "unsubscribed", "submitted", "bounced"] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];
export const PARTICIPANT_SORTS = ["name", "status", "emailed"] as const;
export type ParticipantSort = (typeof PARTICIPANT_SORTS)[number];

export function participantStatus(row: {
  bouncedAt: Date | null;
  respondedAt: Date | null;
  unsubscribedAt: Date | null;
  invitedAt: Date | null;
  started: boolean;
}): ParticipantStatus {
  if (row.bouncedAt) return "bounced";
  if (row.respondedAt) return "submitted";
  if (row.unsubscribedAt) return "unsubscribed";
  if (row.started) return "started";
  return row.invitedAt ? "invited" : "notInvited";
}
