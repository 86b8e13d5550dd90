from django.db import migrations


def give_every_program_its_default_body(apps, schema_editor):
    """Issue #8: every program has a default body, named as its committee; its calls and
    its committee roles (which had no body) belong to it."""
    Program = apps.get_model("grants", "Program")
    DecisionBody = apps.get_model("grants", "DecisionBody")
    Call = apps.get_model("grants", "Call")
    ProgramRole = apps.get_model("grants", "ProgramRole")
    for program in Program.objects.all():
        body = DecisionBody.objects.create(
            program=program, name=program.committee_name, kind="committee", is_default=True
        )
        Call.objects.filter(program=program, body__isnull=True).update(body=body)
        ProgramRole.objects.filter(program=program, role="committee").update(body=body)


class Migration(migrations.Migration):
    # Its own migration (and transaction): PostgreSQL refuses to alter a table with
    # pending deferred foreign-key checks from rows updated in the same transaction.
    dependencies = [("grants", "0002_decision_bodies")]

    operations = [
        migrations.RunPython(give_every_program_its_default_body, migrations.RunPython.noop),
    ]
