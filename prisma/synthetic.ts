/**
 * Synthetic consultation data, deterministic (seeded PRNG): members across
 * regions, languages and units, and answers that lean by region so that
 * segment filters show differences. Used by the demo seed, the results tests
 * and the results benchmark.
 */
import { isVisible } from "~/domain/conditions";
import { LIKERT_SCALE, type QuestionDefinition, type SurveyDefinition } from "~/domain/survey-definition";

export type Random = ReturnType<typeof prng>;

export function prng(seed: number) {
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

export const REGIONS: readonly { region: string; countries: readonly (readonly [string, string])[] }[] = [
  {
    region: "Africa",
    countries: [
      ["Nigeria", "en"],
      ["Kenya", "en"],
      ["Senegal", "fr"],
      ["Cameroon", "fr"],
      ["South Africa", "en"],
    ],
  },
  {
    region: "Asia and Oceania",
    countries: [
      ["China", "zh"],
      ["India", "en"],
      ["Australia", "en"],
      ["Singapore", "zh"],
      ["Japan", "en"],
    ],
  },
  {
    region: "Europe",
    countries: [
      ["France", "fr"],
      ["Germany", "de"],
      ["Spain", "es"],
      ["Netherlands", "en"],
      ["Switzerland", "de"],
      ["Russian Federation", "ru"],
    ],
  },
  {
    region: "Latin America and the Caribbean",
    countries: [
      ["Mexico", "es"],
      ["Argentina", "es"],
      ["Chile", "es"],
      ["Colombia", "es"],
      ["Jamaica", "en"],
    ],
  },
  {
    region: "Middle East and North Africa",
    countries: [
      ["Egypt", "ar"],
      ["Jordan", "ar"],
      ["Morocco", "ar"],
      ["Lebanon", "fr"],
      ["Saudi Arabia", "ar"],
    ],
  },
  {
    region: "North America",
    countries: [
      ["United States", "en"],
      ["Canada", "en"],
      ["Canada", "fr"],
    ],
  },
  {
    region: "Eurasia",
    countries: [
      ["Kazakhstan", "ru"],
      ["Russian Federation", "ru"],
      ["Armenia", "ru"],
    ],
  },
];

export const UNITS = [
  "Standing Committee",
  "Special Interest Group",
  "Regional Council",
  "Professional Committee",
  "Member association",
  "Institutional member",
  "Personal affiliate",
] as const;

export const NAMES: Record<string, [readonly string[], readonly string[]]> = {
  en: [
    ["Alex", "Sam", "Jordan", "Priya", "Grace", "Daniel", "Amara", "Kwame", "Olivia", "Ravi"],
    ["Smith", "Okafor", "Patel", "Brown", "Mensah", "Wilson", "Kumar", "Taylor", "Adeyemi", "Clarke"],
  ],
  fr: [
    ["Camille", "Louis", "Aminata", "Mathieu", "Claire", "Moussa", "Sophie", "Julien"],
    ["Martin", "Diallo", "Bernard", "Ndiaye", "Dubois", "Traoré", "Lefèvre", "Moreau"],
  ],
  de: [
    ["Anna", "Jonas", "Lena", "Lukas", "Miriam", "Felix", "Katrin"],
    ["Müller", "Schmidt", "Weber", "Fischer", "Becker", "Wagner", "Hoffmann"],
  ],
  es: [
    ["Lucía", "Mateo", "Camila", "Diego", "Valentina", "Javier", "Sofía"],
    ["García", "Rodríguez", "López", "Martínez", "Hernández", "Pérez", "Gómez"],
  ],
  ru: [
    ["Анна", "Дмитрий", "Елена", "Сергей", "Ольга", "Алексей", "Айгуль"],
    ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Нурланова"],
  ],
  ar: [
    ["أحمد", "فاطمة", "محمد", "ليلى", "يوسف", "مريم", "خالد", "نور"],
    ["العلي", "حسن", "المصري", "الخطيب", "منصور", "الحسيني", "عبد الله", "سالم"],
  ],
  zh: [
    ["伟", "芳", "敏", "静", "磊", "洋", "婷", "杰"],
    ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"],
  ],
};

/** Synthetic free-text comments, in the language the respondent answered in. */
export const COMMENTS: Record<string, readonly string[]> = {
  en: [
    "The proposal is a step forward, but regional voices need more weight.",
    "Please publish the budget in more detail.",
    "Volunteers need clearer guidance and recognition.",
    "I support the changes to the Governing Board elections.",
  ],
  fr: [
    "La proposition va dans le bon sens, mais les régions doivent être mieux entendues.",
    "Merci de publier le budget de façon plus détaillée.",
    "Les bénévoles ont besoin d'un meilleur accompagnement.",
  ],
  de: [
    "Der Vorschlag geht in die richtige Richtung, aber die Regionen brauchen mehr Gewicht.",
    "Bitte veröffentlichen Sie den Haushalt ausführlicher.",
    "Ehrenamtliche brauchen klarere Unterstützung.",
  ],
  es: [
    "La propuesta es un avance, pero las regiones necesitan más peso.",
    "Por favor, publiquen el presupuesto con más detalle.",
    "Los voluntarios necesitan más apoyo y reconocimiento.",
  ],
  ru: [
    "Предложение — шаг вперёд, но голос регионов должен звучать сильнее.",
    "Просим публиковать бюджет подробнее.",
    "Волонтёрам нужна более чёткая поддержка.",
  ],
  ar: ["المقترح خطوة إلى الأمام، لكن يجب أن يكون للأقاليم صوت أقوى.", "نرجو نشر الميزانية بمزيد من التفصيل.", "يحتاج المتطوعون إلى دعم وتقدير أوضح."],
  zh: ["该提案是一个进步，但应更多听取各地区的声音。", "请更详细地公布预算。", "志愿者需要更明确的支持和认可。"],
};

export function demoAnswer(
  question: QuestionDefinition,
  random: Random,
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

export interface SyntheticResponse {
  status: "submitted" | "draft";
  language: string;
  region: string;
  country: string;
  unit: string;
  answers: { question: string; option?: string; row?: string; text?: string; number?: number }[];
}

/**
 * Respondents for a survey: submitted ones answer every section, drafts the
 * first one or two; optional questions are skipped now and then, and
 * conditional questions are answered only when their condition holds.
 */
export function* syntheticResponses(
  definition: Pick<SurveyDefinition, "sections">,
  count: number,
  options: { seed?: number; draftShare?: number } = {},
): Generator<SyntheticResponse> {
  const random = prng(options.seed ?? 1);
  for (let index = 0; index < count; index++) {
    const place = random.pick(REGIONS);
    const [country, language] = random.pick(place.countries);
    const submitted = random.next() >= (options.draftShare ?? 0);
    const lean = (REGIONS.indexOf(place) % 3) - 1;
    const sections = submitted ? definition.sections : definition.sections.slice(0, 1 + Math.floor(random.next() * 2));
    const chosen = new Map<string, Set<string>>();
    const answers: SyntheticResponse["answers"] = [];
    for (const section of sections) {
      for (const question of section.questions) {
        if (!isVisible(question.showIf, chosen)) continue;
        if (!question.required && random.next() < 0.15) continue;
        for (const answer of demoAnswer(question, random, lean, language)) {
          if (answer.option) (chosen.get(question.key) ?? chosen.set(question.key, new Set()).get(question.key)!).add(answer.option);
          answers.push({ question: question.key, ...answer });
        }
      }
    }
    yield { status: submitted ? "submitted" : "draft", language, region: place.region, country, unit: random.pick(UNITS), answers };
  }
}
