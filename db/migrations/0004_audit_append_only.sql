-- The audit log is append-only in the database itself (DESIGN §6): UPDATE and DELETE are
-- refused row by row, and TRUNCATE (which fires no DELETE trigger) by a statement trigger.
-- These bind the table owner too; only a superuser who disables the triggers can tamper, and
-- the hash chain (npm run audit:verify) shows it.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = '42501';
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
