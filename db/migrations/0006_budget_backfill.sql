-- Budget rows for rounds created before 0004_budgets: those kept their caps in options.budget and had no
-- row in "budgets", so a resumed old round had no cap. Each gets its row, with spend seeded from the
-- round's recorded counters (0002_round_spend). Generator runs took no budget before 0004: nothing to do.
INSERT INTO "budgets" ("scope", "owner_id", "max_cost_usd", "max_tokens", "spent_cost_usd", "spent_tokens")
SELECT
  'round',
  r."id",
  CASE WHEN jsonb_typeof(r."options"->'budget'->'maxCostUsd') = 'number' THEN (r."options"->'budget'->>'maxCostUsd')::double precision END,
  CASE WHEN jsonb_typeof(r."options"->'budget'->'maxTokens') = 'number' THEN round((r."options"->'budget'->>'maxTokens')::numeric)::bigint END,
  r."spent_cost_usd",
  r."spent_prompt_tokens" + r."spent_completion_tokens"
FROM "rounds" r
WHERE (jsonb_typeof(r."options"->'budget'->'maxCostUsd') = 'number' OR jsonb_typeof(r."options"->'budget'->'maxTokens') = 'number')
  AND NOT EXISTS (SELECT 1 FROM "budgets" b WHERE b."scope" = 'round' AND b."owner_id" = r."id");
