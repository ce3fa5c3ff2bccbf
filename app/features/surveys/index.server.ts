// What other features may use of a survey at run time: its texts and the
// languages they are complete in, how its questions read, and the definition
// files it is exchanged as. (Routes may import the modules directly.)
export { surveyNamespace, surveyTitles } from "./texts.server";
export { requiredSurveyTextKeys, surveyLanguages, surveyTranslationProgress } from "./languages.server";
export {
  languageChoices,
  optional,
  renderQuestions,
  sectionFieldValues,
  sectionTitle,
  staticQuestions,
  surveyHeading,
  surveyT,
  valuesFromAnswers,
  type ChoiceView,
  type FieldValues,
  type QuestionRender,
  type StaticQuestion,
  type TextContext,
} from "./view.server";
export { loadSurveyDefinitions } from "./files.server";
