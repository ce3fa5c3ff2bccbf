import { useFetcher } from "@remix-run/react";
import { useEffect, type RefObject } from "react";

/** Long enough not to post on every keystroke, short enough that a closed tab loses little. */
const AUTOSAVE_DELAY_MS = 1500;

/**
 * With JavaScript, what is typed into a text box is saved as a draft a moment
 * after typing stops, through the same section action (intent=autosave), so a
 * long comment survives a closed tab or a dropped connection. Without
 * JavaScript, Next/Back/Save save it as before.
 */
export function useTextAutosave(formRef: RefObject<HTMLFormElement>) {
  const fetcher = useFetcher<{ autosaved: boolean; savedAt?: string }>({ key: "autosave" });
  const { submit } = fetcher;
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = () => {
      const data = new FormData(form);
      data.set("intent", "autosave");
      submit(data, { method: "post" });
    };
    const onInput = (event: Event) => {
      if (!(event.target instanceof HTMLTextAreaElement)) return;
      clearTimeout(timer);
      timer = setTimeout(save, AUTOSAVE_DELAY_MS);
    };
    // Next, Back and the language buttons save the page themselves; a timer
    // left running would otherwise post the following page's empty form.
    const onSubmit = () => clearTimeout(timer);
    form.addEventListener("input", onInput);
    form.addEventListener("submit", onSubmit);
    return () => {
      form.removeEventListener("input", onInput);
      form.removeEventListener("submit", onSubmit);
      clearTimeout(timer);
    };
  }, [formRef, submit]);
  return fetcher.state === "idle" && fetcher.data?.autosaved ? (fetcher.data.savedAt ?? null) : null;
}
