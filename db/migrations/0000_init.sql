CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "instructions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "instructions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"content_hash" text NOT NULL,
	"messages" jsonb NOT NULL,
	"text" text NOT NULL,
	"category" text DEFAULT 'general' NOT NULL,
	"complexity" integer,
	"source" text DEFAULT 'user' NOT NULL,
	"external_id" text,
	"reference" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instructions_content_hash_unique" UNIQUE("content_hash")
);
--> statement-breakpoint
CREATE TABLE "llm_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"text" text NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_usage" (
	"model" text NOT NULL,
	"purpose" text NOT NULL,
	"calls" bigint DEFAULT 0 NOT NULL,
	"cached_calls" bigint DEFAULT 0 NOT NULL,
	"failed_calls" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"base_url" text,
	"api_key_env" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"max_concurrency" integer,
	"rpm" integer,
	"tpm" integer,
	"input_price_per_mtok" double precision,
	"output_price_per_mtok" double precision,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"parent" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "models_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "battle_cells" (
	"round_id" text DEFAULT '' NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"model_a" text NOT NULL,
	"model_b" text NOT NULL,
	"outcome" double precision NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "battles" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "battles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"round_id" text,
	"instruction_id" bigint,
	"model_a" text NOT NULL,
	"model_b" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"outcome" double precision,
	"margin" double precision,
	"category" text,
	"judge" text,
	"source" text DEFAULT 'round' NOT NULL,
	"external_id" text,
	"tstamp" double precision,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"finished_by" text,
	"lease_expires_at" timestamp with time zone,
	"error" text,
	"error_kind" text,
	"style_a" jsonb,
	"style_b" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "judgments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "judgments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"battle_id" bigint NOT NULL,
	"judge" text NOT NULL,
	"order" text NOT NULL,
	"prompt_version" text NOT NULL,
	"raw_text" text,
	"verdict" text,
	"score" double precision,
	"valid" boolean NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"round_id" text NOT NULL,
	"instruction_id" bigint NOT NULL,
	"model" text NOT NULL,
	"text" text NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"cached" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"pairing" text NOT NULL,
	"target" text,
	"baseline" text,
	"candidates" jsonb NOT NULL,
	"judges" jsonb NOT NULL,
	"judge_mode" text DEFAULT 'pairwise' NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"iteration_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "iterations" (
	"id" text PRIMARY KEY NOT NULL,
	"loop_id" text NOT NULL,
	"number" integer NOT NULL,
	"target" text NOT NULL,
	"opponents" jsonb NOT NULL,
	"judges" jsonb NOT NULL,
	"shard" integer NOT NULL,
	"round_id" text NOT NULL,
	"eval_round_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loop_shards" (
	"loop_id" text NOT NULL,
	"instruction_id" bigint NOT NULL,
	"shard" integer NOT NULL,
	"eval_kind" text,
	CONSTRAINT "loop_shards_loop_id_instruction_id_pk" PRIMARY KEY("loop_id","instruction_id")
);
--> statement-breakpoint
CREATE TABLE "loops" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"shards" integer NOT NULL,
	"seed" integer NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loops_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "battles" ADD CONSTRAINT "battles_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "battles" ADD CONSTRAINT "battles_instruction_id_instructions_id_fk" FOREIGN KEY ("instruction_id") REFERENCES "public"."instructions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_battle_id_battles_id_fk" FOREIGN KEY ("battle_id") REFERENCES "public"."battles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_instruction_id_instructions_id_fk" FOREIGN KEY ("instruction_id") REFERENCES "public"."instructions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iterations" ADD CONSTRAINT "iterations_loop_id_loops_id_fk" FOREIGN KEY ("loop_id") REFERENCES "public"."loops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_shards" ADD CONSTRAINT "loop_shards_loop_id_loops_id_fk" FOREIGN KEY ("loop_id") REFERENCES "public"."loops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loop_shards" ADD CONSTRAINT "loop_shards_instruction_id_instructions_id_fk" FOREIGN KEY ("instruction_id") REFERENCES "public"."instructions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instructions_category_idx" ON "instructions" USING btree ("category");--> statement-breakpoint
CREATE INDEX "instructions_source_idx" ON "instructions" USING btree ("source");--> statement-breakpoint
CREATE UNIQUE INDEX "instructions_source_external_idx" ON "instructions" USING btree ("source","external_id") WHERE "instructions"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "model_usage_pk" ON "model_usage" USING btree ("model","purpose");--> statement-breakpoint
CREATE UNIQUE INDEX "battle_cells_key_idx" ON "battle_cells" USING btree ("round_id","category","model_a","model_b","outcome");--> statement-breakpoint
CREATE INDEX "battles_round_status_idx" ON "battles" USING btree ("round_id","status");--> statement-breakpoint
CREATE INDEX "battles_status_lease_idx" ON "battles" USING btree ("status","lease_expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "battles_round_plan_idx" ON "battles" USING btree ("round_id","instruction_id","model_a","model_b");--> statement-breakpoint
CREATE UNIQUE INDEX "battles_source_external_idx" ON "battles" USING btree ("source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "judgments_battle_judge_order_idx" ON "judgments" USING btree ("battle_id","judge","order");--> statement-breakpoint
CREATE UNIQUE INDEX "responses_round_instr_model_idx" ON "responses" USING btree ("round_id","instruction_id","model");--> statement-breakpoint
CREATE UNIQUE INDEX "iterations_loop_number_idx" ON "iterations" USING btree ("loop_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "iterations_loop_shard_idx" ON "iterations" USING btree ("loop_id","shard");--> statement-breakpoint
CREATE INDEX "loop_shards_shard_idx" ON "loop_shards" USING btree ("loop_id","shard");