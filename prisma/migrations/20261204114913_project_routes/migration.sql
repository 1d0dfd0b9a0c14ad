-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "routes" JSONB,
ADD COLUMN     "routes_updated_at" TIMESTAMPTZ(3);
