ALTER TABLE "rounds" ADD COLUMN "spent_prompt_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "spent_completion_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "spent_cost_usd" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "answer_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "judgment_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "invalid_judgment_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill the counters of rounds that already have answers or judgments.
UPDATE "rounds" r SET
  "spent_prompt_tokens" = coalesce((SELECT sum(s."prompt_tokens") FROM "responses" s WHERE s."round_id" = r."id"), 0)
    + coalesce((SELECT sum(j."prompt_tokens") FROM "judgments" j JOIN "battles" b ON b."id" = j."battle_id" WHERE b."round_id" = r."id"), 0),
  "spent_completion_tokens" = coalesce((SELECT sum(s."completion_tokens") FROM "responses" s WHERE s."round_id" = r."id"), 0)
    + coalesce((SELECT sum(j."completion_tokens") FROM "judgments" j JOIN "battles" b ON b."id" = j."battle_id" WHERE b."round_id" = r."id"), 0),
  "spent_cost_usd" = coalesce((SELECT sum(s."cost_usd") FROM "responses" s WHERE s."round_id" = r."id"), 0)
    + coalesce((SELECT sum(j."cost_usd") FROM "judgments" j JOIN "battles" b ON b."id" = j."battle_id" WHERE b."round_id" = r."id"), 0),
  "answer_count" = (SELECT count(*) FROM "responses" s WHERE s."round_id" = r."id"),
  "judgment_count" = (SELECT count(*) FROM "judgments" j JOIN "battles" b ON b."id" = j."battle_id" WHERE b."round_id" = r."id"),
  "invalid_judgment_count" = (SELECT count(*) FROM "judgments" j JOIN "battles" b ON b."id" = j."battle_id" WHERE b."round_id" = r."id" AND NOT j."valid");
