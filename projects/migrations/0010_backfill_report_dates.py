"""Issue #11: the funder report counts withdrawals and accepted proofs by date. Earlier
ones get their dates (and the proven amount) from their audit entries."""

from decimal import Decimal

from django.db import migrations


def backfill(apps, schema_editor):
    Application = apps.get_model("projects", "Application")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="projects", model="application").first()
    if kind is None:
        return
    entries = AuditEntry.objects.filter(
        trail_type=kind, namespace="application", action__in=["withdraw", "accept_proof"]
    ).order_by("at", "pk")
    for entry in entries:
        if entry.action == "withdraw":
            Application.objects.filter(pk=entry.trail_id).update(withdrawn_at=entry.at)
        else:
            proven = entry.data.get("eligible_grant")
            Application.objects.filter(pk=entry.trail_id).update(
                proof_accepted_at=entry.at,
                proven_amount=Decimal(proven) if proven is not None else None,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_report_dates"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
