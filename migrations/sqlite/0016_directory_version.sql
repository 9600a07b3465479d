-- Issue 18: the unit directory and which units take part in the portal (have an active lead
-- handler) are read on every inbox, case and home view but change only with administration.
-- Servers keep them in memory under this number, which every change of units, roles or a
-- user's unit or disabled flag moves on (triggers, so no code path can forget it); a view
-- reads the number and reloads only when it moved.
CREATE TABLE directory_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO directory_version (id, n) VALUES (1, 1);

CREATE TRIGGER directory_units_insert AFTER INSERT ON units
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER directory_units_update AFTER UPDATE ON units
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER directory_units_delete AFTER DELETE ON units
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER directory_roles_insert AFTER INSERT ON user_roles
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER directory_roles_update AFTER UPDATE ON user_roles
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER directory_roles_delete AFTER DELETE ON user_roles
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER directory_users_delete AFTER DELETE ON users
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
-- Only a real change: quiz starts lock the user's row with `SET disabled = disabled`.
CREATE TRIGGER directory_users_update AFTER UPDATE OF disabled, unit_code ON users
WHEN OLD.disabled IS NOT NEW.disabled OR OLD.unit_code IS NOT NEW.unit_code
BEGIN UPDATE directory_version SET n = n + 1 WHERE id = 1; END;
