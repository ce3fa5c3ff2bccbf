import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

// As many fieldsets as the measured page (?fieldsets=N), six radios each, from a loader.
export function loader({ request }: LoaderFunctionArgs) {
  const count = Math.min(100, Math.max(1, Number(new URL(request.url).searchParams.get("fieldsets")) || 8));
  return {
    questions: Array.from({ length: count }, (_, q) => ({
      key: `q${q}`,
      title: `Question ${q + 1}: how far do you agree with this statement about the federation?`,
      options: ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree", "No opinion"],
    })),
  };
}

export default function Form() {
  const { questions } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Section</h1>
      <form method="post">
        {questions.map((question) => (
          <fieldset key={question.key}>
            <legend>{question.title}</legend>
            {question.options.map((option, index) => (
              <label key={option}>
                <input type="radio" name={question.key} value={index} /> {option}
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit">Next</button>
      </form>
    </main>
  );
}
