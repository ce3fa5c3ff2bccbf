// What other features may use of the respondent feature in the browser: the member pages' own components,
// so a preview of a survey (features/editor) shows exactly what members see.
export { QuestionField } from "./components/question-field";
export { SectionHeading } from "./components/section-heading";
export { SurveyLanguageButtons } from "./components/survey-language-buttons";
