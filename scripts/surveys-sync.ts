/**
 * npm run surveys:sync — loads every survey definition under surveys/ (or
 * SURVEYS_DIR) into the database, creating or updating in place.
 */
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { syncSurvey } from "~/models/survey-sync.server";
import { disconnectDb } from "~/platform/db.server";

async function main(): Promise<number> {
  const { definitions, problems } = loadSurveyDefinitions();
  for (const problem of problems) console.error(problem);
  for (const definition of definitions) {
    const result = await syncSurvey(definition);
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
