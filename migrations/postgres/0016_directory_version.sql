-- Issue 18: the unit directory and which units take part in the portal (have an active lead
-- handler) are read on every inbox, case and home view but change only with administration.
-- Servers keep them in memory under this number, which every change of units, roles or a
-- user's unit or disabled flag moves on (triggers, so no code path and no other server can
-- forget it); a view reads the number and reloads only when it moved.
CREATE TABLE directory_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO directory_version (id, n) VALUES (1, 1);

CREATE FUNCTION directory_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE directory_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER directory_units AFTER INSERT OR UPDATE OR DELETE ON units
FOR EACH STATEMENT EXECUTE FUNCTION directory_moved();
CREATE TRIGGER directory_roles AFTER INSERT OR UPDATE OR DELETE ON user_roles
FOR EACH STATEMENT EXECUTE FUNCTION directory_moved();
CREATE TRIGGER directory_users_delete AFTER DELETE ON users
FOR EACH STATEMENT EXECUTE FUNCTION directory_moved();
-- Only a real change: quiz starts lock the user's row with `SET disabled = disabled`.
CREATE TRIGGER directory_users_update AFTER UPDATE OF disabled, unit_code ON users
FOR EACH ROW WHEN (OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.unit_code IS DISTINCT FROM NEW.unit_code)
EXECUTE FUNCTION directory_moved();
