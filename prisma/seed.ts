/**
 * Demo data: the two consultations of DESIGN.md plus one closed, anonymous
 * one, ~2,200 synthetic participants across regions, languages and units,
 * and a few hundred responses, so every chart and state can be tried.
 * Dates are set relative to the day it runs. Deterministic (seeded PRNG) so
 * two demo databases look alike.
 */
import { isVisible } from "~/domain/conditions";
import { LIKERT_SCALE, type QuestionDefinition, type SurveyDefinition } from "~/domain/survey-definition";
import { loadSurveyDefinitions } from "~/models/survey-files.server";
import { syncSurvey } from "~/models/survey-sync.server";
import { hashPassword } from "~/services/password.server";
import { db } from "~/utils/db.server";

const DAY = 86_400_000;

function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

const REGIONS: readonly { region: string; countries: readonly (readonly [string, string])[] }[] = [
  { region: "Africa", countries: [["Nigeria", "en"], ["Kenya", "en"], ["Senegal", "fr"], ["Cameroon", "fr"], ["South Africa", "en"]] },
  { region: "Asia and Oceania", countries: [["China", "zh"], ["India", "en"], ["Australia", "en"], ["Singapore", "zh"], ["Japan", "en"]] },
  { region: "Europe", countries: [["France", "fr"], ["Germany", "de"], ["Spain", "es"], ["Netherlands", "en"], ["Switzerland", "de"], ["Russian Federation", "ru"]] },
  { region: "Latin America and the Caribbean", countries: [["Mexico", "es"], ["Argentina", "es"], ["Chile", "es"], ["Colombia", "es"], ["Jamaica", "en"]] },
  { region: "Middle East and North Africa", countries: [["Egypt", "ar"], ["Jordan", "ar"], ["Morocco", "ar"], ["Lebanon", "fr"], ["Saudi Arabia", "ar"]] },
  { region: "North America", countries: [["United States", "en"], ["Canada", "en"], ["Canada", "fr"]] },
  { region: "Eurasia", countries: [["Kazakhstan", "ru"], ["Russian Federation", "ru"], ["Armenia", "ru"]] },
];

const UNITS = [
  "Standing Committee",
  "Special Interest Group",
  "Regional Council",
  "Professional Committee",
  "Member association",
  "Institutional member",
  "Personal affiliate",
] as const;

const NAMES: Record<string, [readonly string[], readonly string[]]> = {
  en: [["Alex", "Sam", "Jordan", "Priya", "Grace", "Daniel", "Amara", "Kwame", "Olivia", "Ravi"], ["Smith", "Okafor", "Patel", "Brown", "Mensah", "Wilson", "Kumar", "Taylor", "Adeyemi", "Clarke"]],
  fr: [["Camille", "Louis", "Aminata", "Mathieu", "Claire", "Moussa", "Sophie", "Julien"], ["Martin", "Diallo", "Bernard", "Ndiaye", "Dubois", "Traoré", "Lefèvre", "Moreau"]],
  de: [["Anna", "Jonas", "Lena", "Lukas", "Miriam", "Felix", "Katrin"], ["Müller", "Schmidt", "Weber", "Fischer", "Becker", "Wagner", "Hoffmann"]],
  es: [["Lucía", "Mateo", "Camila", "Diego", "Valentina", "Javier", "Sofía"], ["García", "Rodríguez", "López", "Martínez", "Hernández", "Pérez", "Gómez"]],
  ru: [["Анна", "Дмитрий", "Елена", "Сергей", "Ольга", "Алексей", "Айгуль"], ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Нурланова"]],
  ar: [["أحمد", "فاطمة", "محمد", "ليلى", "يوسف", "مريم", "خالد", "نور"], ["العلي", "حسن", "المصري", "الخطيب", "منصور", "الحسيني", "عبد الله", "سالم"]],
  zh: [["伟", "芳", "敏", "静", "磊", "洋", "婷", "杰"], ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"]],
};

/** Synthetic free-text comments, in the language the respondent answered in. */
const COMMENTS: Record<string, readonly string[]> = {
  en: ["The proposal is a step forward, but regional voices need more weight.", "Please publish the budget in more detail.", "Volunteers need clearer guidance and recognition.", "I support the changes to the Governing Board elections."],
  fr: ["La proposition va dans le bon sens, mais les régions doivent être mieux entendues.", "Merci de publier le budget de façon plus détaillée.", "Les bénévoles ont besoin d'un meilleur accompagnement."],
  de: ["Der Vorschlag geht in die richtige Richtung, aber die Regionen brauchen mehr Gewicht.", "Bitte veröffentlichen Sie den Haushalt ausführlicher.", "Ehrenamtliche brauchen klarere Unterstützung."],
  es: ["La propuesta es un avance, pero las regiones necesitan más peso.", "Por favor, publiquen el presupuesto con más detalle.", "Los voluntarios necesitan más apoyo y reconocimiento."],
  ru: ["Предложение — шаг вперёд, но голос регионов должен звучать сильнее.", "Просим публиковать бюджет подробнее.", "Волонтёрам нужна более чёткая поддержка."],
  ar: ["المقترح خطوة إلى الأمام، لكن يجب أن يكون للأقاليم صوت أقوى.", "نرجو نشر الميزانية بمزيد من التفصيل.", "يحتاج المتطوعون إلى دعم وتقدير أوضح."],
  zh: ["该提案是一个进步，但应更多听取各地区的声音。", "请更详细地公布预算。", "志愿者需要更明确的支持和认可。"],
};

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

export async function seedDemo(now = new Date(), staffEmail = "staff@parley.example"): Promise<void> {
  const { definitions, problems } = loadSurveyDefinitions();
  if (problems.length) throw new Error(`survey definitions have errors:\n${problems.join("\n")}`);
  for (const definition of definitions) await syncSurvey(definition);

  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const plans: DemoPlan[] = [
    { slug: "governance-review", opensAt: new Date(today.getTime() - 10 * DAY), closesAt: new Date(today.getTime() + 13 * DAY - 1000), participants: 1400, submitted: 320, drafts: 70 },
    { slug: "interoperability-standards", opensAt: new Date(today.getTime() - 6 * DAY), closesAt: new Date(today.getTime() + 40 * DAY - 1000), participants: 500, submitted: 44, drafts: 15 },
    { slug: "strategic-plan-2025", opensAt: new Date(today.getTime() - 400 * DAY), closesAt: new Date(today.getTime() - 370 * DAY), participants: 300, submitted: 180, drafts: 0 },
  ];
  const random = prng(20260622);

  await db().staffUser.upsert({
    where: { email: staffEmail },
    create: { email: staffEmail, name: "Governance team", passwordHash: await hashPassword(crypto.randomUUID()), language: "en" },
    update: {},
  });

  for (const plan of plans) {
    const definition = definitions.find((candidate) => candidate.slug === plan.slug);
    if (!definition) continue;
    const survey = await db().survey.update({
      where: { slug: plan.slug },
      data: { opensAt: plan.opensAt, closesAt: plan.closesAt, status: "published" },
      select: { id: true, mode: true },
    });
    await seedSurvey(survey, definition, plan, random, now);
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
    const answers: { responseId: string; questionId: string; optionId?: string; rowId?: string; textValue?: string; numberValue?: number }[] = [];
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
            numberValue: answer.number,
          });
        }
      }
    }
    if (answers.length) await db().answer.createMany({ data: answers });
  }
}

function demoAnswer(
  question: QuestionDefinition,
  random: ReturnType<typeof prng>,
  lean: number,
  language: string,
): { option?: string; row?: string; text?: string; number?: number }[] {
  const likert = () => {
    if (random.next() < 0.05) return "no_opinion";
    const score = Math.round(Math.min(5, Math.max(1, 3.4 + lean * 0.6 + (random.next() + random.next() - 1) * 2.2)));
    return LIKERT_SCALE[score - 1]!.key;
  };
  switch (question.type) {
    case "likert":
      return [{ option: likert() }];
    case "matrix":
      return question.rows.map((row) => ({ row, option: likert() }));
    case "single":
      return [{ option: random.pick(question.options) }];
    case "multiple": {
      const count = 1 + Math.floor(random.next() * Math.min(question.maxSelections ?? 3, question.options.length));
      const picked = new Set<string>();
      while (picked.size < count) picked.add(random.pick(question.options));
      return [...picked].map((option) => ({ option }));
    }
    case "text":
      return random.next() < 0.5 ? [{ text: random.pick(COMMENTS[language] ?? COMMENTS.en!).slice(0, question.maxLength) }] : [];
    case "number": {
      const min = question.min ?? 0;
      const max = question.max ?? min + 50;
      const value = min + random.next() * Math.min(max - min, 40);
      return [{ number: question.integer ? Math.round(value) : Math.round(value * 10) / 10 }];
    }
  }
}
