CREATE TABLE "usage_rollups" (
	"day" date NOT NULL,
	"operation" text NOT NULL,
	"client" text NOT NULL,
	"role" text NOT NULL,
	"request_count" bigint NOT NULL,
	"error_count" bigint NOT NULL,
	"duration_sum_ms" double precision NOT NULL,
	"duration_max_ms" double precision NOT NULL,
	"latency_buckets" bigint[] NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_rollups_day_operation_client_role_pk" PRIMARY KEY("day","operation","client","role")
);
