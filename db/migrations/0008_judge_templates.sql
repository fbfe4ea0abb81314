CREATE TABLE "judge_templates" (
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"mode" text NOT NULL,
	"system_prompt" text NOT NULL,
	"user_template" text NOT NULL,
	"output" jsonb NOT NULL,
	"description" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "judge_templates_name_version_pk" PRIMARY KEY("name","version")
);
