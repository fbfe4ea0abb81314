ALTER TABLE "battles" ADD COLUMN "wave" integer;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "adaptive" jsonb;