CREATE TABLE "board_versions" (
	"round_id" text NOT NULL,
	"stripe" integer NOT NULL,
	"changes" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "board_versions_round_id_stripe_pk" PRIMARY KEY("round_id","stripe")
);
