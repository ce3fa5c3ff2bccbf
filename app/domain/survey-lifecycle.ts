import { surveyState, type SurveyState } from "~/domain/survey-state";

/**
 * Staff's explicit lifecycle actions on a survey (open now, close now, change
 * the deadline, reopen, archive, unarchive), pure: which state allows which
 * action, and what each changes. The survey's state stays derived from its
 * status and dates (survey-state.ts); an action only moves those.
 */
export const LIFECYCLE_INTENTS = ["openNow", "closeNow", "deadline", "reopen", "archive", "unarchive"] as const;
export type LifecycleIntent = (typeof LIFECYCLE_INTENTS)[number];

export function isLifecycleIntent(value: unknown): value is LifecycleIntent {
  return typeof value === "string" && (LIFECYCLE_INTENTS as readonly string[]).includes(value);
}

/**
 * What each state offers. A draft has none: members cannot open it until a
 * version is published from the editor. An open survey is archived only once
 * closed, so members never lose a survey they could still answer without the
 * close step's confirmation.
 */
export const ACTIONS_BY_STATE: Record<SurveyState, readonly LifecycleIntent[]> = {
  draft: [],
  scheduled: ["openNow", "deadline"],
  open: ["closeNow", "deadline"],
  closed: ["reopen", "archive"],
  archived: ["unarchive"],
};

/** The intents that take a new closing time from the form. */
export function needsClosingTime(intent: LifecycleIntent): boolean {
  return intent === "deadline" || intent === "reopen";
}

export interface LifecycleSurvey {
  status: string;
  opensAt: Date;
  closesAt: Date;
}

/** What an action writes: a status, or new dates (the other date kept). */
export type LifecycleChange = { status: "published" | "archived" } | { opensAt: Date; closesAt: Date };

export type LifecyclePlan =
  /** `closing`: members who could answer until now no longer can (the action is confirmed first). */
  | { ok: true; change: LifecycleChange; closing: boolean; from: SurveyState; to: SurveyState }
  /** `error`: an i18n key of the staff namespace. */
  | { ok: false; status: 400 | 409; error: string };

/**
 * The change `intent` makes to `survey` at `now`, or why it is refused: 409
 * when the survey's state does not allow it (reopening an open survey), 400
 * when the closing time given does not fit. `closesAt` is the new closing
 * time read from the form (null: absent or malformed), for the intents that
 * take one.
 */
export function planLifecycle(intent: LifecycleIntent, survey: LifecycleSurvey, now: Date, closesAt: Date | null): LifecyclePlan {
  const from = surveyState(survey, now);
  if (!ACTIONS_BY_STATE[from].includes(intent)) return { ok: false, status: 409, error: "lifecycle.errors.wrongState" };
  const plan = (change: LifecycleChange): LifecyclePlan => {
    const to = surveyState({ ...survey, ...change }, now);
    return { ok: true, change, closing: from === "open" && to !== "open", from, to };
  };
  switch (intent) {
    case "openNow":
      return plan({ opensAt: now, closesAt: survey.closesAt });
    case "closeNow":
      return plan({ opensAt: survey.opensAt, closesAt: now });
    case "archive":
      return plan({ status: "archived" });
    case "unarchive":
      return plan({ status: "published" });
    case "deadline":
    case "reopen": {
      if (!closesAt) return { ok: false, status: 400, error: "lifecycle.errors.dateTime" };
      if (closesAt <= survey.opensAt) return { ok: false, status: 400, error: "lifecycle.errors.beforeOpens" };
      if (closesAt.getTime() === survey.closesAt.getTime()) return { ok: false, status: 400, error: "lifecycle.errors.unchanged" };
      // Reopening with a time already past would change nothing members see.
      if (intent === "reopen" && closesAt <= now) return { ok: false, status: 400, error: "lifecycle.errors.notFuture" };
      return plan({ opensAt: survey.opensAt, closesAt });
    }
  }
}
