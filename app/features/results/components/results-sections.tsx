import { QuestionResult, type QuestionResultView } from "~/features/results/components/question-result";

export interface ResultsSectionView {
  key: string;
  title: string;
  questions: QuestionResultView[];
}

/**
 * Every section's questions with their tables and charts. Rendered apart
 * from the page (sections-html.server.tsx keeps the markup per view of the
 * counts), so it reads nothing from the router: links are built from `base`
 * (the survey's staff address) and `query` (the view's filters).
 */
export function ResultsSections({
  sections,
  size,
  threshold,
  slug,
  query,
}: {
  sections: ResultsSectionView[];
  size: number;
  threshold: number;
  slug: string;
  query: string;
}) {
  const base = `/staff/surveys/${slug}`;
  const withFilter = (path: string, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams(query);
    for (const [name, value] of Object.entries(extra)) params.set(name, value);
    const search = params.toString();
    return search ? `${path}?${search}` : path;
  };
  return (
    <>
      {sections.map((section) => (
        <section key={section.key} aria-labelledby={`section-${section.key}`} className="results-section">
          <h3 id={`section-${section.key}`}>
            <bdi>{section.title}</bdi>
          </h3>
          {section.questions.map((question) => (
            <QuestionResult
              key={question.key}
              question={question}
              size={size}
              threshold={threshold}
              commentsHref={question.texts !== null ? withFilter(`${base}/comments`, { question: question.key }) : null}
              download={{ href: withFilter(`${base}/results/chart/${encodeURIComponent(question.key)}`), fileName: `${slug}-${question.key}` }}
            />
          ))}
        </section>
      ))}
    </>
  );
}
