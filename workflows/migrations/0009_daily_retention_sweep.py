"""Issue #25: the daily retention sweep (files past their retention period, accounts
waiting for erasure, old sign-in records) at 02:30 Europe/Berlin, in django-celery-beat's
database schedule (visible and editable in the admin)."""

from django.db import migrations

TASK = "workflows.tasks.apply_retention"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Berlin",
    )
    PeriodicTask.objects.get_or_create(
        name="Retention and erasure (Zuwendo)",
        defaults={"task": TASK, "crontab": crontab, "queue": "mail"},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0008_daily_reminder_sweep"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
