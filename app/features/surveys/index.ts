// What other features may use of the surveys feature without the server: the exchange format's names and layout.
export { definitionPath, formatTextsFile, surveyContent, surveyFiles, textsPath, type SurveyContent, type TextTrees } from "./exchange";
