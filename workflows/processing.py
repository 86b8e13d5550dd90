"""The mail ledger and the schedules in the records of processing (``core.privacy``)."""

from core.privacy import not_personal, record

record(
    "workflows.Delivery",
    purpose="the ledger of e-mails sent (each once, retried when the server fails)",
    people="everyone Zuwendo writes to",
    fields={"recipient": "the account written to", "address": "the address used"},
    recipients="the office (admin)",
    deleted="the address is erased with the account",
    technical={
        "key": "what the mail was about (kind, file id, day)",
        "failure": "the mail server's error text",
    },
)
not_personal(
    "the schedules of Zuwendo's own periodic tasks (django-celery-beat)",
    "django_celery_beat.PeriodicTask",
    "django_celery_beat.PeriodicTasks",
    "django_celery_beat.CrontabSchedule",
    "django_celery_beat.IntervalSchedule",
    "django_celery_beat.SolarSchedule",
    "django_celery_beat.ClockedSchedule",
)
