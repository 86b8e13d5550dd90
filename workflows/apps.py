from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflow and audit")

    def ready(self) -> None:
        # The transition services register with their state machines on import; the API,
        # the admin, the worker and the notifications find them through the registry.
        from core import audit
        from workflows import money, processing, services  # noqa: F401
        from workflows.tasks import (
            after_commit,
            notify_account,
            notify_invitation,
            notify_meeting_invitation,
            notify_objection,
        )

        audit.subscribe("organization.invite", after_commit(notify_invitation))
        for event in ("user.register", "user.register_known", "user.verify_email_request"):
            audit.subscribe(event, after_commit(notify_account))
        audit.subscribe("objection.raise", after_commit(notify_objection))
        audit.subscribe("meeting.invite", after_commit(notify_meeting_invitation))
