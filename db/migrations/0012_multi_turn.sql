CREATE TABLE "response_turns" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "response_turns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"round_id" text NOT NULL,
	"instruction_id" bigint NOT NULL,
	"model" text NOT NULL,
	"turn" integer NOT NULL,
	"text" text NOT NULL,
	"trace" text,
	"trace_status" text DEFAULT 'none' NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"reasoning_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"cached" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instructions" ADD COLUMN "turns" jsonb;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "turns" jsonb;--> statement-breakpoint
ALTER TABLE "response_turns" ADD CONSTRAINT "response_turns_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_turns" ADD CONSTRAINT "response_turns_instruction_id_instructions_id_fk" FOREIGN KEY ("instruction_id") REFERENCES "public"."instructions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "response_turns_key_idx" ON "response_turns" USING btree ("round_id","instruction_id","model","turn");