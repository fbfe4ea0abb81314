CREATE TABLE "human_verdicts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "human_verdicts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"round_id" text NOT NULL,
	"battle_id" bigint NOT NULL,
	"reviewer_kind" text NOT NULL,
	"reviewer" text NOT NULL,
	"verdict" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "battles" ADD COLUMN "human_outcome" double precision;--> statement-breakpoint
ALTER TABLE "battles" ADD COLUMN "label_source" text DEFAULT 'judge' NOT NULL;--> statement-breakpoint
ALTER TABLE "battles" ADD COLUMN "judge_outcome" double precision;--> statement-breakpoint
ALTER TABLE "battles" ADD COLUMN "judge_margin" double precision;--> statement-breakpoint
ALTER TABLE "human_verdicts" ADD CONSTRAINT "human_verdicts_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "human_verdicts" ADD CONSTRAINT "human_verdicts_battle_id_battles_id_fk" FOREIGN KEY ("battle_id") REFERENCES "public"."battles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "human_verdicts_battle_reviewer_idx" ON "human_verdicts" USING btree ("battle_id","reviewer_kind","reviewer");--> statement-breakpoint
CREATE INDEX "human_verdicts_round_idx" ON "human_verdicts" USING btree ("round_id");