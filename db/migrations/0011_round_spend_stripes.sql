CREATE TABLE "round_spend_stripes" (
	"round_id" text NOT NULL,
	"stripe" integer NOT NULL,
	"spent_prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"spent_completion_tokens" bigint DEFAULT 0 NOT NULL,
	"spent_cost_usd" double precision DEFAULT 0 NOT NULL,
	"answer_count" bigint DEFAULT 0 NOT NULL,
	"judgment_count" bigint DEFAULT 0 NOT NULL,
	"invalid_judgment_count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "round_spend_stripes_round_id_stripe_pk" PRIMARY KEY("round_id","stripe")
);
--> statement-breakpoint
ALTER TABLE "round_spend_stripes" ADD CONSTRAINT "round_spend_stripes_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;