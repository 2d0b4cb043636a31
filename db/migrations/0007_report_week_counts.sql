CREATE TABLE "report_unit_week_counts" (
	"org_unit_id" text NOT NULL,
	"week" timestamp with time zone NOT NULL,
	"status" "report_status" NOT NULL,
	"sensitivity" "report_sensitivity" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "report_unit_week_counts_org_unit_id_week_status_sensitivity_pk" PRIMARY KEY("org_unit_id","week","status","sensitivity")
);
