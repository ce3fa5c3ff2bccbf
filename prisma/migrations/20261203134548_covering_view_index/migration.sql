-- DropIndex
DROP INDEX "Response_surveyId_status_id_idx";

-- CreateIndex
CREATE INDEX "Response_surveyId_status_id_language_region_country_unit_idx" ON "Response"("surveyId", "status", "id", "language", "region", "country", "unit");
