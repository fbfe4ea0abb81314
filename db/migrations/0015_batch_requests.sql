CREATE TABLE "batch_requests" (
	"key" text PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"body" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"batch_id" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"reserved_tokens" double precision DEFAULT 0 NOT NULL,
	"reserved_cost_usd" double precision DEFAULT 0 NOT NULL,
	"owner" text,
	"result" jsonb,
	"error" text,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "provider_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"model" text NOT NULL,
	"state" text DEFAULT 'submitting' NOT NULL,
	"provider_batch_id" text,
	"input_file_id" text,
	"status" text,
	"request_count" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "provider_batches_provider_batch_id_unique" UNIQUE("provider_batch_id")
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "batch" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "batch_price_factor" double precision;--> statement-breakpoint
CREATE INDEX "batch_requests_pending_idx" ON "batch_requests" USING btree ("model","created_at") WHERE "batch_requests"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "batch_requests_batch_idx" ON "batch_requests" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "provider_batches_open_idx" ON "provider_batches" USING btree ("state") WHERE "provider_batches"."state" in ('submitting', 'submitted');