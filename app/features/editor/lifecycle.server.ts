import { ACTIONS_BY_STATE, isLifecycleIntent, needsClosingTime, planLifecycle, type LifecycleIntent } from "~/domain/survey-lifecycle";
import { surveyState, type SurveyState } from "~/domain/survey-state";
import { applyLifecycleChange, countUnsubmittedResponses } from "~/models/survey-lifecycle.server";
import { recordAudit } from "~/platform/audit.server";
import { confirmationFor, confirmationStatus, type Confirmation } from "~/platform/confirm";
import { readForm } from "~/platform/forms.server";
import { utcToWallTime, wallTimeToUtc } from "~/platform/time-zone";
import { staffZone } from "./edit.server";

/**
 * The overview's "Schedule and close" panel: the survey's state and dates in
 * the staff member's zone, and the lifecycle actions its state allows, each a
 * plain POST (domain/survey-lifecycle.ts says what each does; the model
 * records new dates as versions so that publishing never undoes them).
 */
interface Survey {
  id: string;
  slug: string;
  status: string;
  opensAt: Date;
  closesAt: Date;
}

export interface LifecyclePanel {
  state: SurveyState;
  opensAt: string;
  closesAt: string;
  zone: string;
  /** The closing time as the deadline field shows it (wall time in `zone`). */
  closesAtLocal: string;
  /** The actions offered; empty for those who may only look. */
  actions: LifecycleIntent[];
}

export function lifecyclePanel(request: Request, survey: Survey, mayChange: boolean): LifecyclePanel {
  const zone = staffZone(request);
  const state = surveyState(survey, new Date());
  return {
    state,
    opensAt: survey.opensAt.toISOString(),
    closesAt: survey.closesAt.toISOString(),
    zone,
    closesAtLocal: utcToWallTime(survey.closesAt, zone),
    actions: mayChange ? [...ACTIONS_BY_STATE[state]] : [],
  };
}

export type LifecycleOutcome =
  | { ok: true; intent: LifecycleIntent }
  /** `closesAt`: the value the form sent, shown again in the field. */
  | { ok: false; status: 400 | 409; intent: string; error: string; closesAt: string }
  /** Closing cuts members short: the page asks first, naming the responses started and not submitted. */
  | { ok: false; status: 200 | 409; intent: LifecycleIntent; confirm: Confirmation & { closesAt: string; closesAtLocal: string } };

export async function changeLifecycle(request: Request, user: { id: string }, survey: Survey): Promise<LifecycleOutcome> {
  const form = await readForm(request);
  const intent = form.get("intent");
  const rawClosesAt = form.get("closesAt");
  const local = typeof rawClosesAt === "string" ? rawClosesAt.trim().slice(0, 40) : "";
  const refuse = (status: 400 | 409, error: string): LifecycleOutcome => ({
    ok: false,
    status,
    intent: String(intent ?? "").slice(0, 40),
    error,
    closesAt: local,
  });
  if (!isLifecycleIntent(intent)) return refuse(400, "lifecycle.errors.unknown");
  const zone = staffZone(request);
  const now = new Date();
  const closesAt = needsClosingTime(intent) ? wallTimeToUtc(local, zone) : null;
  const plan = planLifecycle(intent, survey, now, closesAt);
  if (!plan.ok) return refuse(plan.status, plan.error);
  if (plan.closing) {
    const confirmation = confirmationFor(form, await countUnsubmittedResponses(survey.id));
    if (confirmation) {
      const closing = "closesAt" in plan.change ? plan.change.closesAt : now;
      return {
        ok: false,
        status: confirmationStatus(confirmation),
        intent,
        confirm: { ...confirmation, closesAt: closing.toISOString(), closesAtLocal: local },
      };
    }
  }
  const written = await applyLifecycleChange(survey.id, survey, plan.change, user.id);
  if (!written.ok) return refuse(409, "lifecycle.errors.changedMeanwhile");
  const iso = (date: Date) => date.toISOString();
  await recordAudit({
    staffUserId: user.id,
    action: `surveys.${intent}`,
    subject: survey.slug,
    detail: {
      from: { state: plan.from, status: survey.status, opensAt: iso(survey.opensAt), closesAt: iso(survey.closesAt) },
      to:
        "status" in plan.change
          ? { state: plan.to, status: plan.change.status }
          : { state: plan.to, opensAt: iso(plan.change.opensAt), closesAt: iso(plan.change.closesAt) },
      versions: written.versions,
      zone,
    },
  });
  return { ok: true, intent };
}
