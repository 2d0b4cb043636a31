CREATE TABLE "report_cell_counts" (
	"status" "report_status" NOT NULL,
	"sensitivity" "report_sensitivity" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "report_cell_counts_status_sensitivity_pk" PRIMARY KEY("status","sensitivity")
);
--> statement-breakpoint
CREATE TABLE "report_line_cell_counts" (
	"manager_id" text NOT NULL,
	"status" "report_status" NOT NULL,
	"sensitivity" "report_sensitivity" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "report_line_cell_counts_manager_id_status_sensitivity_pk" PRIMARY KEY("manager_id","status","sensitivity")
);
