-- CreateIndex
CREATE INDEX "Participant_surveyId_id_idx" ON "Participant"("surveyId", "id");
