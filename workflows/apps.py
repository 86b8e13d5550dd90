from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflow and audit")

    def ready(self) -> None:
        # The transition services register with their state machines on import; the API,
        # the admin, the worker and the notifications find them through the registry.
        from core import audit
        from workflows import money, services  # noqa: F401
        from workflows.tasks import notify_invitation, notify_meeting_invitation, notify_objection

        audit.subscribe("organization.invite", notify_invitation.delay)
        audit.subscribe("objection.raise", notify_objection.delay)
        audit.subscribe("meeting.invite", notify_meeting_invitation.delay)
