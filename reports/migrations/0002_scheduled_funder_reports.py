"""Issue #11: the funder reports on the schedule, daily at 06:30 Europe/Berlin in
django-celery-beat's database schedule (each program's frequency decides which period is
due; a run that finds the report sent does nothing)."""

from django.db import migrations

TASK = "reports.tasks.send_scheduled_reports"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Berlin",
    )
    PeriodicTask.objects.get_or_create(
        name="Funder reports (Zuwendo)",
        defaults={"task": TASK, "crontab": crontab, "queue": "reports"},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
