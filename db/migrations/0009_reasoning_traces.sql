ALTER TABLE "llm_cache" ADD COLUMN "reasoning" text;--> statement-breakpoint
ALTER TABLE "llm_cache" ADD COLUMN "reasoning_tokens" integer;--> statement-breakpoint
ALTER TABLE "llm_cache" ADD COLUMN "finish_reason" text;--> statement-breakpoint
ALTER TABLE "model_usage" ADD COLUMN "reasoning_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "reasoning" jsonb;--> statement-breakpoint
ALTER TABLE "judgments" ADD COLUMN "trace" text;--> statement-breakpoint
ALTER TABLE "judgments" ADD COLUMN "reasoning_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "trace" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "trace_status" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "reasoning_tokens" integer DEFAULT 0 NOT NULL;