"""Audit entries moved to the kernel (``core.AuditEntry``, issue #6).

Every existing entry is copied with its id, time and data into the application's trail,
namespaced ``application``; then the old table (and its trigger) is dropped. Plain SQL,
so that ``at`` keeps its original value (``auto_now_add`` would overwrite it) and the
append-only trigger on the new table (which refuses only UPDATE and DELETE) is not
involved.
"""

from django.db import migrations

COPY = """
INSERT INTO core_auditentry
    (id, trail_type_id, trail_id, namespace, action, source, target, actor_id,
     comment, data, at)
SELECT id, %s, application_id, 'application', action, source, target, actor_id,
       comment, data, at
FROM workflows_auditentry
"""

RESET_SEQUENCE = """
SELECT setval(pg_get_serial_sequence('core_auditentry', 'id'),
              COALESCE(MAX(id), 1), MAX(id) IS NOT NULL)
FROM core_auditentry
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS workflows_auditentry_append_only ON workflows_auditentry;
DROP FUNCTION IF EXISTS workflows_auditentry_refuse_change();
"""


def copy_entries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    application_type, _ = ContentType.objects.get_or_create(
        app_label="projects", model="application"
    )
    schema_editor.execute(COPY, params=[application_type.pk])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESET_SEQUENCE, params=None)
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_audit_append_only_trigger"),
        ("core", "0002_audit_append_only_trigger"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_entries, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEntry"),
    ]
