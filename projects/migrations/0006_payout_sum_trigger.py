"""On PostgreSQL, the database itself refuses payout requests whose sum (requested,
approved and paid) would exceed the application's approved grant: a second line of
defence behind the service's row lock. SQLite relies on the service."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION projects_payout_within_grant() RETURNS trigger AS $$
DECLARE
    approved numeric;
    total numeric;
BEGIN
    SELECT approved_amount INTO approved FROM projects_application
        WHERE id = NEW.application_id;
    SELECT COALESCE(SUM(amount), 0) INTO total FROM projects_payoutrequest
        WHERE application_id = NEW.application_id
          AND state IN ('requested', 'approved', 'paid')
          AND id IS DISTINCT FROM NEW.id;
    IF NEW.state IN ('requested', 'approved', 'paid')
       AND total + NEW.amount > COALESCE(approved, 0) THEN
        RAISE EXCEPTION 'payouts would exceed the approved grant (% + % > %)',
            total, NEW.amount, COALESCE(approved, 0)
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_payout_within_grant
    BEFORE INSERT OR UPDATE ON projects_payoutrequest
    FOR EACH ROW EXECUTE FUNCTION projects_payout_within_grant();
"""

DROP = """
DROP TRIGGER IF EXISTS projects_payout_within_grant ON projects_payoutrequest;
DROP FUNCTION IF EXISTS projects_payout_within_grant();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_money")]
    operations = [migrations.RunPython(create, drop)]
