CREATE TYPE "public"."import_request_status" AS ENUM('PENDING', 'APPLIED', 'REJECTED');--> statement-breakpoint
CREATE TYPE "public"."review_decision" AS ENUM('KEEP', 'REVOKE');--> statement-breakpoint
CREATE TABLE "access_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grant_id" text NOT NULL,
	"decision" "review_decision" NOT NULL,
	"note" text NOT NULL,
	"reviewer_id" text NOT NULL,
	"reviewed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "break_glass_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" text NOT NULL,
	"reason" text NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"reviewed_at" timestamp (3) with time zone,
	"reviewed_by" text
);
--> statement-breakpoint
CREATE TABLE "group_sightings" (
	"person_id" text NOT NULL,
	"group_name" text NOT NULL,
	"first_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_sightings_person_id_group_name_pk" PRIMARY KEY("person_id","group_name")
);
--> statement-breakpoint
CREATE TABLE "org_import_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sequence" bigint NOT NULL,
	"generated_at" timestamp (3) with time zone NOT NULL,
	"people_count" integer NOT NULL,
	"org_unit_count" integer NOT NULL,
	"snapshot_hash" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"status" "import_request_status" DEFAULT 'PENDING' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp (3) with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "role_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" text NOT NULL,
	"role" text NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"approved_by" text,
	"approved_at" timestamp (3) with time zone,
	"revoked_by" text,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "role_exceptions_role_check" CHECK ("role_exceptions"."role" in ('analyst', 'auditor', 'admin'))
);
--> statement-breakpoint
CREATE INDEX "access_reviews_grant_idx" ON "access_reviews" USING btree ("grant_id","reviewed_at");--> statement-breakpoint
CREATE INDEX "break_glass_person_idx" ON "break_glass_sessions" USING btree ("person_id","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "break_glass_one_open_idx" ON "break_glass_sessions" USING btree ("person_id") WHERE "break_glass_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "org_import_requests_status_idx" ON "org_import_requests" USING btree ("status","requested_at");--> statement-breakpoint
CREATE INDEX "role_exceptions_person_idx" ON "role_exceptions" USING btree ("person_id","expires_at");