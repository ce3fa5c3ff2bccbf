// What other features may use of a survey at run time: its texts and the
// languages they are complete in, how its questions read, and the definition
// files it is exchanged as. (Routes may import the modules directly.)
export { parseTexts, surveyNamespace, surveyTexts, surveyTitles, textsFromTrees, type SurveyTexts, type VersionedSurvey } from "./texts.server";
export { outdatedLanguages, requiredSurveyTextKeys, surveyLanguages, surveyTranslationProgress } from "./languages.server";
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
export { definitionPath, formatTextsFile, surveyContent, surveyFiles, textsPath, type SurveyContent, type TextTrees } from "./exchange";
export { loadSurveyFiles, type SurveyFileSet } from "./files.server";
