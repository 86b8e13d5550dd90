"""The mail ledger and the schedules in the records of processing (``core.privacy``)."""

from django.utils.translation import gettext_lazy as _

from core.privacy import not_personal, record

record(
    "workflows.Delivery",
    purpose=_("the ledger of e-mails sent (each once, retried when the server fails)"),
    people=_("everyone Zuwendo writes to"),
    fields={"recipient": _("the account written to"), "address": _("the address used")},
    recipients=_("the office (admin)"),
    deleted=_(
        "the address is erased with the account; a funder contact's address (no account) "
        "is kept as the record of the reports sent to it"
    ),
    technical={
        "key": _("what the mail was about (kind, file id, day)"),
        "failure": _("the mail server's error text"),
    },
)
not_personal(
    _("the schedules of Zuwendo's own periodic tasks (django-celery-beat)"),
    "django_celery_beat.PeriodicTask",
    "django_celery_beat.PeriodicTasks",
    "django_celery_beat.CrontabSchedule",
    "django_celery_beat.IntervalSchedule",
    "django_celery_beat.SolarSchedule",
    "django_celery_beat.ClockedSchedule",
)
