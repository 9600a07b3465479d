-- Issue 18: who holds a role (lead handlers per unit, for "does this unit take part in the
-- portal") is read on every inbox and case view; without this index the question scanned
-- every user of every unit.
CREATE INDEX user_roles_role ON user_roles(role, user_id);
