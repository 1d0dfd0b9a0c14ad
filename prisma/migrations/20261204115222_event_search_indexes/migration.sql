-- CreateIndex
CREATE INDEX "events_project_id_type_created_at_idx" ON "events"("project_id", "type", "created_at" DESC);

-- CreateIndex
CREATE INDEX "messages_project_id_route_created_at_idx" ON "messages"("project_id", "route", "created_at" DESC);
