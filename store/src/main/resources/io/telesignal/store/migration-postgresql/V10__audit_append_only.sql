-- PostgreSQL only: the audit trail is append-only in the database itself. UPDATE, DELETE and TRUNCATE of
-- audit_events are refused for every role that does not first disable the triggers (which takes the table's owner,
-- and is itself visible: run the server as a role that does not own the tables, and keep the owner's credentials
-- apart). The hash chain still detects what an owner does (telesignal audit verify).
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
