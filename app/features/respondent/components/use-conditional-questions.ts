import { useEffect, useRef } from "react";

/**
 * With JavaScript, conditional questions appear and disappear as answers
 * change. Without it the server decides on each save (see the section
 * action), so this is an enhancement only.
 */
export function useConditionalQuestions() {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const update = () => {
      const data = new FormData(form);
      const shown: string[] = [];
      for (const element of form.querySelectorAll<HTMLElement>("[data-show-if]")) {
        const condition = JSON.parse(element.dataset.showIf ?? "null") as { question: string; anyOf: string[] } | null;
        if (!condition) continue;
        const field = form.querySelector(`[name="q.${condition.question}"]`);
        // A condition on an earlier page keeps the server's decision.
        if (!field) continue;
        const chosen = data.getAll(`q.${condition.question}`).map(String);
        element.hidden = !condition.anyOf.some((key) => chosen.includes(key));
      }
      for (const element of form.querySelectorAll<HTMLElement>(".question")) if (!element.hidden) shown.push(element.id);
      const shownInput = form.querySelector<HTMLInputElement>('input[name="shown"]');
      if (shownInput) shownInput.value = shown.join(",");
    };
    form.addEventListener("change", update);
    update();
    return () => form.removeEventListener("change", update);
  }, []);
  return formRef;
}
