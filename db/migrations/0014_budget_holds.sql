CREATE TABLE "budget_holds" (
	"scope" text NOT NULL,
	"owner_id" text NOT NULL,
	"job" bigint NOT NULL,
	"holder" text NOT NULL,
	"reserved_cost_usd" double precision DEFAULT 0 NOT NULL,
	"reserved_tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "budget_holds_scope_owner_id_job_holder_pk" PRIMARY KEY("scope","owner_id","job","holder")
);
