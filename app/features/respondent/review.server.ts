import { renderEmailHtml, type EmailBlock } from "~/platform/email-html";
import { brandingAttachments, emailBranding, emailDirection, type EmailAttachment, type EmailOrganisation } from "~/platform/email-branding.server";
import { visibleQuestionKeys, type AnswerValue } from "~/domain/answers";
import { isolate } from "~/platform/bidi";
import { getFixedT } from "~/platform/i18n.server";
import type { RespondentContext } from "~/features/respondent/context.server";
import { optional, surveyT } from "~/features/surveys/index.server";

/** Every answer in words, for the review page and the emailed receipt. */
export interface ReviewSection {
  key: string;
  title: string;
  items: { key: string; label: string; answer: string[]; missing: boolean }[];
}

export function reviewSections(context: RespondentContext, answers: readonly AnswerValue[]): ReviewSection[] {
  const t = surveyT(context);
  const common = getFixedT(context.locale, "common");
  const respondent = getFixedT(context.locale, "respondent");
  const visible = visibleQuestionKeys(context.structure.sections, answers);
  const number = new Intl.NumberFormat(context.locale);
  return context.structure.sections.map((section) => ({
    key: section.key,
    title: t(`sections.${section.key}.title`),
    items: section.questions
      .filter((question) => visible.has(question.key))
      .map((question) => {
        const own = answers.filter((answer) => answer.question === question.key);
        const base = `questions.${question.key}`;
        const optionLabel = (key: string) =>
          question.type === "likert" || question.type === "matrix"
            ? common(`likert.${key}`)
            : key === "other"
              ? (optional(t, `${base}.otherLabel`) ?? respondent("question.other"))
              : t(`${base}.options.${key}`);
        // In the order the form shows them: matrix rows and options as defined, not as stored.
        const position = (value: AnswerValue) =>
          value.row ? question.rows.indexOf(value.row) : value.option ? question.options.indexOf(value.option) + (value.option === "other" ? 1_000 : 0) : 0;
        const answer = [...own]
          .sort((a, b) => position(a) - position(b))
          .map((value) => {
            if (value.row && value.option) return `${withoutFinalStop(t(`${base}.rows.${value.row}`))}: ${optionLabel(value.option)}`;
            if (value.option) return value.text ? `${optionLabel(value.option)}: ${value.text}` : optionLabel(value.option);
            if (value.number !== undefined) return number.format(value.number);
            return value.text ?? "";
          });
        return { key: question.key, label: t(`${base}.label`), answer, missing: question.required && own.length === 0 };
      }),
  }));
}

/** "A statement." + ": Agree" would read "A statement.: Agree": the statement's own full stop goes. */
function withoutFinalStop(text: string): string {
  return text.replace(/[.。．]+\s*$/u, "");
}

export function receiptText(
  context: RespondentContext,
  sections: ReviewSection[],
  /** The organisation's name and logo (emailOrganisation), read before the submitting transaction. */
  organisation: EmailOrganisation,
): { subject: string; text: string; html: string; attachments: EmailAttachment[] } {
  const emails = getFixedT(context.locale, "emails");
  const respondent = getFixedT(context.locale, "respondent");
  const title = surveyT(context)("title");
  const greeting = emails("receipt.greeting", { name: isolate(context.participant.name) });
  const intro = emails("receipt.intro", { survey: title });
  const lines = [greeting, "", intro, ""];
  const blocks: EmailBlock[] = [
    { type: "paragraph", text: greeting },
    { type: "paragraph", text: intro },
  ];
  for (const section of sections) {
    lines.push(`== ${section.title} ==`);
    blocks.push({ type: "heading", text: section.title });
    for (const item of section.items) {
      lines.push(`${item.label}`, ...(item.answer.length ? item.answer.map((answer) => `  - ${answer}`) : [`  - ${respondent("review.notAnswered")}`]), "");
      blocks.push({
        type: "answers",
        label: item.label,
        answers: item.answer.length ? item.answer : [respondent("review.notAnswered")],
        muted: item.answer.length === 0,
      });
    }
  }
  lines.push(emails("receipt.footer"));
  const subject = emails("receipt.subject", { survey: title });
  const html = renderEmailHtml({
    language: context.locale,
    dir: emailDirection(context.locale),
    title: subject,
    branding: emailBranding(context.locale, organisation),
    blocks,
    footer: [emails("receipt.footer")],
  });
  return { subject, text: lines.join("\n"), html, attachments: brandingAttachments(organisation) };
}
