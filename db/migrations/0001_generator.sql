CREATE TABLE "benchmark_prompts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "benchmark_prompts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"set_name" text NOT NULL,
	"prompt_id" text NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benchmark_sets" (
	"name" text PRIMARY KEY NOT NULL,
	"format" text NOT NULL,
	"prompts" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gen_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gen_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text NOT NULL,
	"task_key" text NOT NULL,
	"ordinal" integer DEFAULT 0 NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"complexity" integer,
	"messages" jsonb NOT NULL,
	"text" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'generated' NOT NULL,
	"removal_reason" text,
	"collided_with" jsonb,
	"similarity" double precision,
	"removal_detail" text,
	"instruction_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gen_personas" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gen_personas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"set" text DEFAULT 'default' NOT NULL,
	"name" text NOT NULL,
	"profile" jsonb NOT NULL,
	"source" text NOT NULL,
	"run_id" text,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gen_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"stage" text NOT NULL,
	"params" jsonb NOT NULL,
	"feedback" jsonb,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "gen_scenarios" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gen_scenarios_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"simulation_id" text NOT NULL,
	"step" integer NOT NULL,
	"group_index" integer NOT NULL,
	"participants" jsonb NOT NULL,
	"title" text NOT NULL,
	"events" jsonb NOT NULL,
	"summary" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gen_seeds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gen_seeds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"set" text DEFAULT 'default' NOT NULL,
	"title" text,
	"text" text NOT NULL,
	"source" text,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gen_tasks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gen_tasks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text NOT NULL,
	"stage" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"input" jsonb NOT NULL,
	"output" jsonb,
	"error" text,
	"error_kind" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "benchmark_prompts" ADD CONSTRAINT "benchmark_prompts_set_name_benchmark_sets_name_fk" FOREIGN KEY ("set_name") REFERENCES "public"."benchmark_sets"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gen_items" ADD CONSTRAINT "gen_items_run_id_gen_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."gen_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gen_scenarios" ADD CONSTRAINT "gen_scenarios_simulation_id_gen_runs_id_fk" FOREIGN KEY ("simulation_id") REFERENCES "public"."gen_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gen_tasks" ADD CONSTRAINT "gen_tasks_run_id_gen_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."gen_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "benchmark_prompts_set_prompt_idx" ON "benchmark_prompts" USING btree ("set_name","prompt_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gen_items_run_task_ord_idx" ON "gen_items" USING btree ("run_id","task_key","ordinal");--> statement-breakpoint
CREATE INDEX "gen_items_run_status_idx" ON "gen_items" USING btree ("run_id","status");--> statement-breakpoint
CREATE INDEX "gen_personas_set_idx" ON "gen_personas" USING btree ("set");--> statement-breakpoint
CREATE UNIQUE INDEX "gen_personas_set_external_idx" ON "gen_personas" USING btree ("set","external_id") WHERE "gen_personas"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "gen_runs_kind_idx" ON "gen_runs" USING btree ("kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gen_scenarios_sim_step_group_idx" ON "gen_scenarios" USING btree ("simulation_id","step","group_index");--> statement-breakpoint
CREATE UNIQUE INDEX "gen_seeds_set_hash_idx" ON "gen_seeds" USING btree ("set","content_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "gen_tasks_run_key_idx" ON "gen_tasks" USING btree ("run_id","key");--> statement-breakpoint
CREATE INDEX "gen_tasks_run_stage_idx" ON "gen_tasks" USING btree ("run_id","stage","status");--> statement-breakpoint
CREATE INDEX "gen_tasks_status_lease_idx" ON "gen_tasks" USING btree ("status","lease_expires_at");