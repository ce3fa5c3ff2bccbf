/**
 * Demo data: the two consultations of DESIGN.md plus one closed, anonymous
 * one, ~2,200 synthetic participants across regions, languages and units,
 * and a few hundred responses, so every chart and state can be tried.
 * Dates are set relative to the day it runs. Deterministic (seeded PRNG) so
 * two demo databases look alike.
 */
import { isVisible } from "~/domain/conditions";
import { foldForSearch } from "~/domain/search-text";
import type { SurveyDefinition } from "~/domain/survey-definition";
import { loadSurveyFiles } from "~/features/surveys/files.server";
import { syncSurvey } from "~/models/survey-sync.server";
import { hashPassword } from "~/platform/password.server";
import { db } from "~/platform/db.server";
import { demoAnswer, NAMES, prng, REGIONS, UNITS } from "./synthetic";

const DAY = 86_400_000;

interface DemoPlan {
  slug: string;
  opensAt: Date;
  closesAt: Date;
  participants: number;
  submitted: number;
  drafts: number;
}

export async function isDemoSeeded(): Promise<boolean> {
  return (await db().participant.count()) > 0;
}

/** One demo account per role; `surveySlug` limits a grant to that survey. */
export const DEMO_STAFF = [
  { email: "staff@parley.example", name: "Governance team", role: "administrator", surveySlug: null },
  { email: "manager@parley.example", name: "Survey manager (governance review)", role: "survey_manager", surveySlug: "governance-review" },
  { email: "viewer@parley.example", name: "Results viewer", role: "results_viewer", surveySlug: null },
  { email: "translator@parley.example", name: "Translator", role: "translator", surveySlug: null },
  { email: "forums@parley.example", name: "Forum organiser", role: "forum_organiser", surveySlug: null },
] as const;

/** Creates the demo accounts that are missing (a database seeded before roles existed gains them). */
export async function seedDemoStaff(): Promise<void> {
  for (const account of DEMO_STAFF) {
    const surveyId = account.surveySlug ? (await db().survey.findUniqueOrThrow({ where: { slug: account.surveySlug }, select: { id: true } })).id : null;
    await db().staffUser.upsert({
      where: { email: account.email },
      create: {
        email: account.email,
        name: account.name,
        passwordHash: await hashPassword(crypto.randomUUID()),
        language: "en",
        grants: { create: { role: account.role, surveyId } },
      },
      update: {},
    });
  }
}

export async function seedDemo(now = new Date()): Promise<void> {
  const { surveys, problems } = loadSurveyFiles();
  if (problems.length) throw new Error(`survey definitions have errors:\n${problems.join("\n")}`);
  for (const { definition, content } of surveys) await syncSurvey(definition, content);

  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const plans: DemoPlan[] = [
    {
      slug: "governance-review",
      opensAt: new Date(today.getTime() - 10 * DAY),
      closesAt: new Date(today.getTime() + 13 * DAY - 1000),
      participants: 1400,
      submitted: 320,
      drafts: 70,
    },
    {
      slug: "interoperability-standards",
      opensAt: new Date(today.getTime() - 6 * DAY),
      closesAt: new Date(today.getTime() + 40 * DAY - 1000),
      participants: 500,
      submitted: 44,
      drafts: 15,
    },
    {
      slug: "strategic-plan-2025",
      opensAt: new Date(today.getTime() - 400 * DAY),
      closesAt: new Date(today.getTime() - 370 * DAY),
      participants: 300,
      submitted: 180,
      drafts: 0,
    },
  ];
  const random = prng(20260622);

  await seedDemoStaff();

  for (const plan of plans) {
    const definition = surveys.map((survey) => survey.definition).find((candidate) => candidate.slug === plan.slug);
    if (!definition) continue;
    const survey = await db().survey.update({
      where: { slug: plan.slug },
      data: { opensAt: plan.opensAt, closesAt: plan.closesAt, status: "published" },
      select: { id: true, mode: true },
    });
    await seedSurvey(survey, definition, plan, random, now);
  }
  await seedForums(today);
}

/**
 * The open forums held after the governance consultation: four sessions at
 * times that suit different regions, each in a language, one of them full
 * with a waiting list. Registrations are written as the sign-up page writes
 * them (seat counter included), with cancellation tokens nobody holds.
 */
async function seedForums(today: Date): Promise<void> {
  const governance = await db().survey.findUnique({ where: { slug: "governance-review" }, select: { id: true } });
  const series = await db().forumSeries.create({
    data: {
      slug: "governance-forums",
      surveyId: governance?.id,
      texts: JSON.stringify({
        en: {
          title: "Open forums on the governance review",
          description: "Ask the Governing Board about the draft proposal before the vote. Open to all members; each session is held in one language.",
        },
        fr: {
          title: "Forums ouverts sur la réforme de la gouvernance",
          description:
            "Posez vos questions au Conseil d'administration sur le projet de proposition avant le vote. Ouverts à tous les membres ; chaque session se tient dans une langue.",
        },
        es: {
          title: "Foros abiertos sobre la reforma de la gobernanza",
          description:
            "Pregunte a la Junta de Gobierno sobre el proyecto de propuesta antes de la votación. Abiertos a todos los miembros; cada sesión se celebra en un idioma.",
        },
      }),
    },
  });
  const sessions = [
    { day: 14, hour: 8, language: "en", capacity: 100, registered: 64 },
    { day: 15, hour: 14, language: "fr", capacity: 80, registered: 31 },
    { day: 16, hour: 22, language: "es", capacity: 60, registered: 12 },
    { day: 17, hour: 12, language: "ar", capacity: 20, registered: 26 },
  ];
  for (const [index, plan] of sessions.entries()) {
    const startsAt = new Date(today.getTime() + plan.day * DAY + plan.hour * 3_600_000);
    const confirmed = Math.min(plan.capacity, plan.registered);
    const session = await db().forumSession.create({
      data: {
        seriesId: series.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 90 * 60_000),
        language: plan.language,
        capacity: plan.capacity,
        confirmedCount: confirmed,
        meetingUrl: `https://meet.example.org/governance-forum-${index + 1}`,
        registrationClosesAt: new Date(startsAt.getTime() - 3_600_000),
      },
    });
    await db().forumRegistration.createMany({
      data: Array.from({ length: plan.registered }, (_, number) => ({
        sessionId: session.id,
        name: `Forum member ${index + 1}-${number + 1}`,
        email: `forum${index + 1}.${number + 1}@members.example`,
        language: plan.language,
        status: number < confirmed ? "confirmed" : "waitlisted",
        cancelTokenHash: `demo-${index}-${number}-${crypto.randomUUID()}`,
        createdAt: new Date(today.getTime() - (plan.registered - number) * 3_600_000),
      })),
    });
  }
}

async function seedSurvey(
  survey: { id: string; mode: string },
  definition: SurveyDefinition,
  plan: DemoPlan,
  random: ReturnType<typeof prng>,
  now: Date,
): Promise<void> {
  const participants = Array.from({ length: plan.participants }, (_, index) => {
    const region = random.pick(REGIONS);
    const [country, language] = random.pick(region.countries);
    const [given, family] = NAMES[language] ?? NAMES.en!;
    const givenName = random.pick(given);
    const familyName = random.pick(family);
    return {
      id: crypto.randomUUID(),
      surveyId: survey.id,
      // Chinese names are written family name first, without a space.
      name: language === "zh" ? `${familyName}${givenName}` : `${givenName} ${familyName}`,
      email: `member${index + 1}.${plan.slug}@members.example`,
      language,
      region: region.region,
      country,
      unit: random.pick(UNITS),
      invitedAt: new Date(plan.opensAt.getTime() + DAY / 2),
      lastContactedAt: new Date(plan.opensAt.getTime() + DAY / 2),
    };
  });
  await db().participant.createMany({ data: participants });

  const questions = await db().question.findMany({
    where: { surveyId: survey.id },
    select: { id: true, key: true, options: { select: { id: true, key: true, role: true } } },
  });
  const byKey = new Map(questions.map((question) => [question.key, question]));
  const anonymous = survey.mode === "anonymous";
  const lastDay = Math.min(now.getTime(), plan.closesAt.getTime());

  const responders = participants.slice(0, plan.submitted + plan.drafts);
  for (const [index, participant] of responders.entries()) {
    const submitted = index < plan.submitted;
    const startedAt = new Date(plan.opensAt.getTime() + random.next() * (lastDay - plan.opensAt.getTime()));
    // Regions lean differently so that segment filters show something.
    const lean = (REGIONS.findIndex((region) => region.region === participant.region) % 3) - 1;
    const response = await db().response.create({
      data: {
        surveyId: survey.id,
        participantId: anonymous ? null : participant.id,
        status: submitted ? "submitted" : "draft",
        language: participant.language,
        region: participant.region,
        country: anonymous ? null : participant.country,
        unit: participant.unit,
        startedAt,
        submittedAt: submitted ? new Date(Math.min(lastDay, startedAt.getTime() + random.next() * DAY)) : null,
      },
      select: { id: true },
    });
    if (submitted) {
      await db().participant.update({
        where: { id: participant.id },
        data: { respondedAt: anonymous ? new Date(Math.floor(lastDay / DAY) * DAY) : new Date() },
      });
    }
    const sections = submitted ? definition.sections : definition.sections.slice(0, 1 + Math.floor(random.next() * 2));
    const chosen = new Map<string, Set<string>>();
    const answers: {
      responseId: string;
      questionId: string;
      optionId?: string;
      rowId?: string;
      textValue?: string;
      searchText?: string;
      numberValue?: number;
    }[] = [];
    for (const section of sections) {
      for (const question of section.questions) {
        if (!isVisible(question.showIf, chosen)) continue;
        if (!question.required && random.next() < 0.15) continue;
        const row = byKey.get(question.key);
        if (!row) continue;
        const optionId = (key: string, role = "choice") => row.options.find((option) => option.key === key && option.role === role)?.id;
        for (const answer of demoAnswer(question, random, lean, participant.language)) {
          if (answer.option) (chosen.get(question.key) ?? chosen.set(question.key, new Set()).get(question.key)!).add(answer.option);
          answers.push({
            responseId: response.id,
            questionId: row.id,
            optionId: answer.option ? optionId(answer.option) : undefined,
            rowId: answer.row ? optionId(answer.row, "row") : undefined,
            textValue: answer.text,
            searchText: answer.text === undefined ? undefined : foldForSearch(answer.text),
            numberValue: answer.number,
          });
        }
      }
    }
    if (answers.length) await db().answer.createMany({ data: answers });
  }
}
