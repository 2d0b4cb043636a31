CREATE TABLE "report_line_counts" (
	"manager_id" text NOT NULL,
	"org_unit_id" text NOT NULL,
	"status" "report_status" NOT NULL,
	"sensitivity" "report_sensitivity" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "report_line_counts_manager_id_org_unit_id_status_sensitivity_pk" PRIMARY KEY("manager_id","org_unit_id","status","sensitivity")
);
--> statement-breakpoint
CREATE TABLE "report_unit_counts" (
	"org_unit_id" text NOT NULL,
	"status" "report_status" NOT NULL,
	"sensitivity" "report_sensitivity" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "report_unit_counts_org_unit_id_status_sensitivity_pk" PRIMARY KEY("org_unit_id","status","sensitivity")
);
