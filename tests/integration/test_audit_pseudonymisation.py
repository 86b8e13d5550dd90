"""Issue #25: on PostgreSQL the audit trail's trigger lets pseudonymisation through (the
database function ``core_auditentry_pseudonymise``, comment and data only) and refuses
every other change, from any client and from the function itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from core import audit
from core.models import AuditEntry
from tests.factories import make_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entry(world):
    application = make_application(world)
    return audit.record(
        event="application.update",
        trail=application,
        actor=world.sponsor_a,
        comment="Rücksprache mit Erika Muster",
        data={"payee": "Erika Muster", "amount": "10.00"},
    )


def _refused(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_pseudonymisation_passes_and_keeps_everything_else(entry):
    before = AuditEntry.objects.get(pk=entry.pk)
    changed = audit.pseudonymise(
        AuditEntry.objects.filter(pk=entry.pk),
        audit.replacing(["Erika Muster"], "gelöschtes Konto 9"),
    )
    after = AuditEntry.objects.get(pk=entry.pk)
    assert changed == 1
    assert after.comment == "Rücksprache mit gelöschtes Konto 9"
    assert after.data == {"payee": "gelöschtes Konto 9", "amount": "10.00"}
    assert (after.at, after.actor_id, after.event, after.trail_id) == (
        before.at,
        before.actor_id,
        before.event,
        before.trail_id,
    )


@pytest.mark.parametrize(
    "column, value",
    [("comment", "x"), ("action", "submit"), ("actor_id", None), ("trail_id", 999)],
)
def test_a_plain_update_of_any_column_is_refused(entry, column, value):
    _refused(f"UPDATE core_auditentry SET {column} = %s WHERE id = %s", [value, entry.pk])  # noqa: S608


def test_the_function_cannot_change_another_column(entry):
    """A PL/pgSQL function of the same name (another signature) that sets another
    column: its name passes the trigger's first test, its UPDATE fails the second (every
    column but comment and data must stay)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION core_auditentry_pseudonymise(i bigint) RETURNS void AS $$ "
            "BEGIN UPDATE core_auditentry SET action = 'x' WHERE id = i; END; $$ "
            "LANGUAGE plpgsql"
        )
    try:
        _refused("SELECT core_auditentry_pseudonymise(%s::bigint)", [entry.pk])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP FUNCTION core_auditentry_pseudonymise(bigint)")
    assert AuditEntry.objects.get(pk=entry.pk).action == "update"


def test_delete_stays_refused(entry):
    _refused("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
