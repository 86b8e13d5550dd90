"""On PostgreSQL, the append-only trigger lets one kind of UPDATE through: the
pseudonymisation of an entry's ``comment`` and ``data`` by the database function
``core_auditentry_pseudonymise`` (``core.audit.pseudonymise``, DOMAIN.md "Data
protection"). Any other UPDATE, an UPDATE of any other column (even from that function),
and every DELETE are still refused.

The trigger recognises the function by the PL/pgSQL call stack (``PG_CONTEXT``). A role
that may create functions or drop triggers can get round any trigger; the guard is
against the application and its clients, not against the database's owner.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditentry_refuse_change() RETURNS trigger AS $$
DECLARE
    stack text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF position('function core_auditentry_pseudonymise(' in stack) > 0
           AND NEW.id = OLD.id
           AND NEW.trail_type_id = OLD.trail_type_id
           AND NEW.trail_id = OLD.trail_id
           AND NEW.namespace = OLD.namespace
           AND NEW.action = OLD.action
           AND NEW.source = OLD.source
           AND NEW.target = OLD.target
           AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
           AND NEW.at = OLD.at THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION core_auditentry_pseudonymise(
    entry_id bigint, new_comment text, new_data jsonb
) RETURNS void AS $$
BEGIN
    UPDATE core_auditentry SET comment = new_comment, data = new_data WHERE id = entry_id;
END;
$$ LANGUAGE plpgsql;
"""

# Back to migration 0002's trigger function: every UPDATE refused.
DROP = """
DROP FUNCTION IF EXISTS core_auditentry_pseudonymise(bigint, text, jsonb);
CREATE OR REPLACE FUNCTION core_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_pending_file_deletion")]
    operations = [migrations.RunPython(create, drop)]
