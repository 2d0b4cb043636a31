CREATE TYPE "public"."audit_decision" AS ENUM('ALLOW', 'DENY');--> statement-breakpoint
CREATE TYPE "public"."report_sensitivity" AS ENUM('INTERNAL', 'CONFIDENTIAL');--> statement-breakpoint
CREATE TYPE "public"."report_status" AS ENUM('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"actor_subject" text,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text,
	"decision" "audit_decision" NOT NULL,
	"reason" text,
	"request_id" text,
	"trace_id" text,
	"policy_version" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"hash" text,
	"prev_hash" text
);
--> statement-breakpoint
CREATE TABLE "org_imports" (
	"sequence" bigint PRIMARY KEY NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"snapshot_hash" text NOT NULL,
	"people_count" integer NOT NULL,
	"org_unit_count" integer NOT NULL,
	"deactivated_count" integer NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_unit_closure" (
	"ancestor_id" text NOT NULL,
	"descendant_id" text NOT NULL,
	"depth" smallint NOT NULL,
	CONSTRAINT "org_unit_closure_ancestor_id_descendant_id_pk" PRIMARY KEY("ancestor_id","descendant_id")
);
--> statement-breakpoint
CREATE TABLE "org_units" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_id" text,
	"kind" text,
	"in_builder_relations" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" text PRIMARY KEY NOT NULL,
	"okta_id" text NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"title" text,
	"manager_id" text,
	"org_unit_id" text NOT NULL,
	"active" boolean NOT NULL,
	"last_seen_sequence" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reporting_lines" (
	"manager_id" text NOT NULL,
	"person_id" text NOT NULL,
	"depth" smallint NOT NULL,
	CONSTRAINT "reporting_lines_manager_id_person_id_pk" PRIMARY KEY("manager_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"status" "report_status" DEFAULT 'DRAFT' NOT NULL,
	"sensitivity" "report_sensitivity" DEFAULT 'INTERNAL' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"customer_accounts" text[] DEFAULT '{}'::text[] NOT NULL,
	"author_id" text NOT NULL,
	"org_unit_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "org_unit_closure_descendant_idx" ON "org_unit_closure" USING btree ("descendant_id","ancestor_id");--> statement-breakpoint
CREATE INDEX "org_units_parent_idx" ON "org_units" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_okta_id_key" ON "people" USING btree ("okta_id");--> statement-breakpoint
CREATE INDEX "people_active_email_lower_idx" ON "people" USING btree (lower("email")) WHERE "people"."active";--> statement-breakpoint
CREATE INDEX "people_manager_idx" ON "people" USING btree ("manager_id");--> statement-breakpoint
CREATE INDEX "people_org_unit_idx" ON "people" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "reporting_lines_person_idx" ON "reporting_lines" USING btree ("person_id","depth");--> statement-breakpoint
CREATE INDEX "reports_author_created_idx" ON "reports" USING btree ("author_id","created_at","id");--> statement-breakpoint
CREATE INDEX "reports_visibility_created_idx" ON "reports" USING btree ("status","sensitivity","created_at","id");--> statement-breakpoint
CREATE INDEX "reports_org_unit_idx" ON "reports" USING btree ("org_unit_id","status","sensitivity");--> statement-breakpoint
CREATE INDEX "reports_created_idx" ON "reports" USING btree ("created_at","id");