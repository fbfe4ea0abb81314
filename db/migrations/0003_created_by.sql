ALTER TABLE "api_keys" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "loops" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "gen_runs" ADD COLUMN "created_by" text;