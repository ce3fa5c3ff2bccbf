// Issue 19, lifecycle: which state allows which action, and what each changes.
import { describe, expect, it } from "vitest";
import { planLifecycle, type LifecycleIntent } from "~/domain/survey-lifecycle";

const HOUR = 3_600_000;
const now = new Date("2031-05-10T12:00:00Z");
const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
const survey = (status: string, opens: number, closes: number) => ({ status, opensAt: at(opens), closesAt: at(closes) });
const open = survey("published", -24, 24);
const scheduled = survey("published", 24, 48);
const closed = survey("published", -48, -24);

describe("planLifecycle", () => {
  it("opens a scheduled survey now, keeping its closing time", () => {
    expect(planLifecycle("openNow", scheduled, now, null)).toEqual({
      ok: true,
      change: { opensAt: now, closesAt: scheduled.closesAt },
      closing: false,
      from: "scheduled",
      to: "open",
    });
  });

  it("closes an open survey now, as a closing to confirm", () => {
    expect(planLifecycle("closeNow", open, now, null)).toMatchObject({ ok: true, change: { closesAt: now }, closing: true, to: "closed" });
  });

  it("moves the deadline: later is no closing, before now is one, before the opening or unchanged is refused", () => {
    expect(planLifecycle("deadline", open, now, at(72))).toMatchObject({ ok: true, closing: false, to: "open" });
    expect(planLifecycle("deadline", open, now, at(-1))).toMatchObject({ ok: true, closing: true, to: "closed" });
    expect(planLifecycle("deadline", open, now, at(-30))).toEqual({ ok: false, status: 400, error: "lifecycle.errors.beforeOpens" });
    expect(planLifecycle("deadline", scheduled, now, at(12))).toEqual({ ok: false, status: 400, error: "lifecycle.errors.beforeOpens" });
    expect(planLifecycle("deadline", open, now, open.closesAt)).toEqual({ ok: false, status: 400, error: "lifecycle.errors.unchanged" });
    expect(planLifecycle("deadline", open, now, null)).toEqual({ ok: false, status: 400, error: "lifecycle.errors.dateTime" });
  });

  it("reopens a closed survey only until a time in the future", () => {
    expect(planLifecycle("reopen", closed, now, at(5))).toMatchObject({ ok: true, change: { closesAt: at(5) }, to: "open", closing: false });
    expect(planLifecycle("reopen", closed, now, at(-2))).toEqual({ ok: false, status: 400, error: "lifecycle.errors.notFuture" });
  });

  it("archives a closed survey and brings it back as closed", () => {
    expect(planLifecycle("archive", closed, now, null)).toMatchObject({ ok: true, change: { status: "archived" }, to: "archived" });
    expect(planLifecycle("unarchive", { ...closed, status: "archived" }, now, null)).toMatchObject({ ok: true, change: { status: "published" }, to: "closed" });
  });

  it("refuses an action the state does not offer, whatever the date", () => {
    const wrong: [LifecycleIntent, ReturnType<typeof survey>][] = [
      ["reopen", open],
      ["openNow", open],
      ["closeNow", scheduled],
      ["archive", open],
      ["unarchive", closed],
      ["deadline", closed],
      ["openNow", survey("draft", 24, 48)],
      ["deadline", { ...closed, status: "archived" }],
    ];
    for (const [intent, state] of wrong) {
      expect(planLifecycle(intent, state, now, at(100)), intent).toEqual({ ok: false, status: 409, error: "lifecycle.errors.wrongState" });
    }
  });
});
