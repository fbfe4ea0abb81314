CREATE TABLE "budgets" (
	"scope" text NOT NULL,
	"owner_id" text NOT NULL,
	"max_cost_usd" double precision,
	"max_tokens" bigint,
	"spent_cost_usd" double precision DEFAULT 0 NOT NULL,
	"spent_tokens" bigint DEFAULT 0 NOT NULL,
	"reserved_cost_usd" double precision DEFAULT 0 NOT NULL,
	"reserved_tokens" bigint DEFAULT 0 NOT NULL,
	"overshoot_calls" integer DEFAULT 0 NOT NULL,
	"overshoot_cost_usd" double precision DEFAULT 0 NOT NULL,
	"overshoot_tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "budgets_scope_owner_id_pk" PRIMARY KEY("scope","owner_id")
);
