/**
 * npm run surveys:sync — loads every survey definition under surveys/ (or
 * SURVEYS_DIR) and its texts under locales/<lng>/survey.<slug>.json (or
 * LOCALES_DIR) into the database: the structure is created or updated in
 * place, and the files become the survey's next published version (nothing
 * happens for files identical to the published version).
 */
import { loadSurveyFiles } from "~/features/surveys/files.server";
import { syncSurvey } from "~/models/survey-sync.server";
import { disconnectDb } from "~/platform/db.server";

async function main(): Promise<number> {
  const { surveys, problems } = loadSurveyFiles();
  for (const problem of problems) console.error(problem);
  for (const { definition, content } of surveys) {
    const result = await syncSurvey(definition, content);
    console.log(`surveys:sync ${result.slug}: ${result.outcome}`);
  }
  return problems.length ? 1 : 0;
}

main()
  .then(async (code) => {
    await disconnectDb();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`surveys:sync failed: ${(error as Error).message}`);
    await disconnectDb();
    process.exit(1);
  });
