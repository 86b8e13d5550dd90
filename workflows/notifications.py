"""Who hears of a transition, and the e-mail they get, in their own language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from grants.models import ProgramRole, User
from workflows.models import AuditEntry, SentMail
from workflows.states import ApplicationState

# Which side is told of each transition: the sponsor's organisation, or the office.
SPONSOR_TOLD = {"request_revision", "fast_track_approve", "reject"}
OFFICE_TOLD = {"submit", "resubmit", "withdraw", "accept_agreement"}
COMMITTEE_TOLD = {"forward_to_committee"}


def recipients(entry: AuditEntry) -> list[User]:
    application = entry.application
    if entry.action in SPONSOR_TOLD:
        users = User.objects.filter(memberships__organization_id=application.organization_id)
    elif entry.action in OFFICE_TOLD:
        if entry.action == "withdraw" and entry.source == ApplicationState.DRAFT:
            return []  # the office never saw the draft
        users = User.objects.filter(
            program_roles__program_id=application.program_id,
            program_roles__role=ProgramRole.Kind.OFFICE,
        )
    elif entry.action in COMMITTEE_TOLD:
        users = User.objects.filter(
            program_roles__program_id=application.program_id,
            program_roles__role=ProgramRole.Kind.COMMITTEE,
        )
    else:
        return []
    return list(users.filter(is_active=True).exclude(email="").distinct().order_by("pk"))


def render(entry: AuditEntry, user: User) -> tuple[str, str]:
    application = entry.application
    with translation.override(user.language):
        state = ApplicationState(entry.target).label
        subject = _("[Zuwendo] %(reference)s: now “%(state)s”") % {
            "reference": application.reference or application.title,
            "state": state,
        }
        lines = [
            _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
            "",
            _("the application “%(title)s” (%(reference)s) is now “%(state)s”.")
            % {
                "title": application.title,
                "reference": application.reference or "–",
                "state": state,
            },
        ]
        if entry.comment:
            lines += ["", _("Comment:"), entry.comment]
        lines += ["", _("This message was sent by Zuwendo.")]
    return str(subject), "\n".join(str(line) for line in lines)


def send_transition_mails(*, audit_entry_id: int) -> int:
    """Send each recipient one mail per audit entry, however often the task runs.

    The SentMail row is claimed before sending: a retry after a crash between claim and
    send loses that one mail rather than sending it twice (DOMAIN.md: at most once).
    A failure the code sees (SMTP error) releases the claim so the retry sends it.
    """
    entry = AuditEntry.objects.select_related("application").get(pk=audit_entry_id)
    sent = 0
    for user in recipients(entry):
        key = f"transition:{entry.pk}"
        try:
            with transaction.atomic():
                claim = SentMail.objects.create(key=key, recipient=user)
        except IntegrityError:
            continue
        subject, body = render(entry, user)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:
            claim.delete()
            raise
        sent += 1
    return sent
