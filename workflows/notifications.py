"""Who hears of a transition, and the e-mail they get, in their own language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.formats import format_date
from core.models import AuditEntry
from core.money import format_eur
from core.transitions import NOBODY, machine_for
from grants.models import ForwardingForm, ProgramRole, User
from grants.selectors import body_members_on
from projects import funding
from projects.lifecycle import Audience
from projects.models import (
    Application,
    Expenditure,
    Invitation,
    Meeting,
    Objection,
)
from projects.models import Attachment as AttachedFile
from projects.states import ApplicationState
from workflows.delivery import Attachment, deliver
from workflows.links import (
    VERIFY_EMAIL_DAYS,
    application_url,
    invitation_url,
    transition_occasion,
    verification_url,
)
from workflows.models import Delivery

logger = logging.getLogger(__name__)

# Documents are rendered by ``reports`` (the layer above), which registers at start-up how
# to produce each kind as an attachment: ``(object, language) -> (name, bytes, type)``.
DOCUMENT_PROVIDERS: dict[str, Callable[[object, str], Attachment]] = {}


def provide_document(kind: str, provider: Callable[[object, str], Attachment]) -> None:
    DOCUMENT_PROVIDERS[kind] = provider


def document_attachment(kind: str, obj: object, language: str) -> list[Attachment]:
    """The document as an attachment, or none when no provider is registered or it
    fails: the mail still goes out (it names where to download the document), and the
    failure is logged."""
    provider = DOCUMENT_PROVIDERS.get(kind)
    if provider is None:
        return []
    try:
        return [provider(obj, language)]
    except Exception:
        logger.exception("could not attach the %s of %r", kind, obj)
        return []


def _sponsors(application: Application) -> QuerySet[User]:
    return User.objects.filter(memberships__organization_id=application.organization_id)


def _program_role(kind: str) -> Callable[[Application], QuerySet[User]]:
    def holders(application: Application) -> QuerySet[User]:
        return User.objects.filter(
            program_roles__program_id=application.program_id, program_roles__role=kind
        )

    return holders


def _deciding_body(application: Application) -> QuerySet[User]:
    """The members of the body that decides the application (its call's body)."""
    return User.objects.filter(
        program_roles__body_id=application.call.body_id,
        program_roles__role=ProgramRole.Kind.COMMITTEE,
    )


# Who each audience named by a transition's declaration (``notify=``) is.
AUDIENCES: dict[str, Callable[[Application], QuerySet[User]]] = {
    Audience.SPONSOR: _sponsors,
    Audience.OFFICE: _program_role(ProgramRole.Kind.OFFICE),
    Audience.COMMITTEE: _deciding_body,
}


def recipients(entry: AuditEntry) -> list[User]:
    """The people the transition's declaration says are told, with an address."""
    audience = machine_for(entry.namespace).declaration(entry.action).notify
    if audience == NOBODY:
        return []
    application = entry.trail
    users = AUDIENCES[audience](application)
    candidates = users.filter(is_active=True).exclude(email="").distinct().order_by("pk")
    # Nobody hears of an application they may not see (the office never saw a withdrawn
    # draft): the one visibility rule decides, not a copy of it here.
    return [user for user in candidates if user.has_perm("projects.view_application", application)]


def _state_label(entry: AuditEntry) -> str:
    """The target state in the reader's words, from the machine that wrote the entry."""
    machine = machine_for(entry.namespace)
    choices = dict(machine.model._meta.get_field(machine.field).flatchoices)
    return str(choices.get(entry.target, entry.target))


def render(entry: AuditEntry, user: User) -> tuple[str, str]:
    application = entry.trail
    with translation.override(user.language):
        state = _state_label(entry)
        if entry.namespace == "application" and entry.target == ApplicationState.COMMITTEE_REVIEW:
            # The body that decides, by its name: a call of the youth fund goes to the
            # Jugendforum, not to the Begleitausschuss.
            state = _("under review: %(body)s") % {"body": application.call.body.name}
        names = {
            "reference": application.reference or application.title,
            "title": application.title,
            "state": state,
        }
        if entry.namespace == "application":
            subject = _("[Zuwendo] %(reference)s: now “%(state)s”") % names
            news = _("the application “%(title)s” (%(reference)s) is now “%(state)s”.") % names
        elif entry.namespace == "change_request":
            subject = _("[Zuwendo] %(reference)s: change request now “%(state)s”") % names
            news = (
                _(
                    "the change request for the application “%(title)s” (%(reference)s) "
                    "is now “%(state)s”."
                )
                % names
            )
        else:
            names["amount"] = format_eur(Decimal(entry.data.get("amount", "0")))
            subject = _("[Zuwendo] %(reference)s: payout of %(amount)s now “%(state)s”") % names
            news = (
                _(
                    "the payout of %(amount)s for the application “%(title)s” "
                    "(%(reference)s) is now “%(state)s”."
                )
                % names
            )
        lines = [
            _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
            "",
            news,
        ]
        if entry.comment:
            lines += ["", _("Comment:"), entry.comment]
        contract = application.program.forwarding_form == ForwardingForm.CONTRACT
        if entry.namespace == "application" and entry.target == ApplicationState.APPROVED:
            lines += [
                "",
                _(
                    "The forwarding contract (Weiterleitungsvertrag) is attached; it comes "
                    "into force when you accept it in Zuwendo. It can be downloaded here:"
                )
                if contract
                else _(
                    "The grant decision (Zuwendungsbescheid) is attached and can be "
                    "downloaded here:"
                ),
                f"{settings.PUBLIC_URL}/applications/{application.pk}/",
            ]
        if entry.namespace == "application" and entry.target == ApplicationState.REPAYMENT_DUE:
            lines += ["", _repayment_text(entry, application, contract)]
        occasion = transition_occasion(entry.namespace, entry.source, entry.target)
        lines += [
            "",
            application_url(application.pk, occasion),
            "",
            _("This message was sent by Zuwendo."),
        ]
    return str(subject), "\n".join(str(line) for line in lines)


def _repayment_text(entry: AuditEntry, application: Application, contract: bool) -> str:
    """The demand in the words of the form of forwarding: a revocation of the decision
    (§§ 48, 49 VwVfG) or a termination of the contract, or the reduction the proof of
    use shows; the amount, the due day (§ 41 Abs. 2, § 31 VwVfG) and the interest."""
    figures = {
        "amount": format_eur(application.reclaim_amount or Decimal("0")),
        "due": format_date(funding.due_dates(application)["repayment_due"]),
    }
    if entry.action == "revoke":
        reason = (
            _("The forwarding contract was terminated in accordance with its § 3.")
            if contract
            else _("The grant decision was revoked (§§ 48, 49 VwVfG).")
        )
    else:
        reason = _("The proof of use shows a lower eligible grant than was paid out.")
    return " ".join(
        [
            str(reason),
            str(
                _(
                    "Please repay %(amount)s by %(due)s; the amount bears interest of 5 "
                    "percentage points a year above the base rate (§ 49a VwVfG) until it "
                    "is repaid."
                )
                % figures
            ),
        ]
    )


def _send_once(
    key: str,
    users: list[User],
    render_for: Callable[[User], tuple[str, str]],
    *,
    reference: str = "",
    attach_for: Callable[[User], list[Attachment]] | None = None,
    program_name: str = "",
) -> int:
    """Each user gets the mail for ``key`` once, through the delivery log
    (``workflows.delivery``): nothing lost, nothing doubled."""
    occasion = key.split(":", 1)[0]
    sent = 0
    for user in users:
        sent += deliver(
            key=f"{key}:{user.pk}",
            occasion=occasion,
            user=user,
            render=lambda user=user: render_for(user),
            reference=reference,
            attachments=(lambda user=user: attach_for(user)) if attach_for else None,
            program_name=program_name,
        )
    return sent


def send_transition_mails(*, audit_entry_id: int) -> int:
    """The people a transition's declaration names hear of it, once each."""
    entry = AuditEntry.objects.select_related("trail_type").get(pk=audit_entry_id)
    attach_for = None
    if entry.namespace == "application" and entry.target == ApplicationState.APPROVED:
        # The decision: the grant agreement goes with it, in the reader's language.
        def attach_for(user: User) -> list[Attachment]:
            return document_attachment("agreement", entry.trail, user.language)

    return _send_once(
        f"transition:{entry.pk}",
        recipients(entry),
        lambda user: render(entry, user),
        reference=entry.trail.reference or "",
        attach_for=attach_for,
        program_name=entry.trail.program.name,
    )


def account_with_address(address: str) -> User | None:
    """The active account with this e-mail address, if any: a mail to a bare address
    (an invitation, a funder contact) goes out in that account's language."""
    return User.objects.filter(email__iexact=address, is_active=True).first()


def _reachable(users: QuerySet[User]) -> list[User]:
    return list(users.filter(is_active=True).exclude(email="").distinct().order_by("pk"))


def _greeting(user: User) -> str:
    return _("Hello %(name)s,") % {"name": user.get_full_name() or user.username}


def send_objection_mails(*, audit_entry_id: int) -> int:
    """§ 90 VwVfG: a member objected to the written procedure; the program's office and
    the body's chair are told, so the application is put on a meeting's agenda."""
    entry = AuditEntry.objects.get(pk=audit_entry_id)
    objection = Objection.objects.select_related("application__call").get(pk=entry.trail_id)
    application = objection.application
    users = User.objects.filter(
        Q(
            program_roles__program_id=application.program_id,
            program_roles__role=ProgramRole.Kind.OFFICE,
        )
        | Q(program_roles__body_id=application.call.body_id, program_roles__chair=True)
    )

    def render_for(user: User) -> tuple[str, str]:
        with translation.override(user.language):
            subject = _("[Zuwendo] %(reference)s: objection to the written procedure") % {
                "reference": application.reference
            }
            lines = [
                _greeting(user),
                "",
                _(
                    "a member objected to deciding “%(title)s” (%(reference)s) in writing. "
                    "The body decides it at a meeting; please put it on an agenda."
                )
                % {"title": application.title, "reference": application.reference},
                "",
                _("Reason:"),
                objection.reason,
                "",
                _("This message was sent by Zuwendo."),
            ]
        return str(subject), "\n".join(str(line) for line in lines)

    return _send_once(
        f"objection:{objection.pk}",
        _reachable(users),
        render_for,
        program_name=application.program.name,
    )


def send_receipts_request_mails(*, audit_entry_id: int) -> int:
    """VV Nr. 11 zu § 44 BHO: the office asks for the receipts of chosen lines; the
    sponsor's members are told which, each in their language."""
    entry = AuditEntry.objects.select_related("trail_type").get(pk=audit_entry_id)
    application = entry.trail
    lines = list(
        Expenditure.objects.filter(pk__in=entry.data.get("lines", [])).order_by("date", "pk")
    )

    def render_for(user: User) -> tuple[str, str]:
        with translation.override(user.language):
            subject = _("[Zuwendo] %(reference)s: receipts requested") % {
                "reference": application.reference
            }
            text = [
                _greeting(user),
                "",
                _(
                    "the office checks the proof of use of “%(title)s” (%(reference)s) and "
                    "asks for the receipts of these lines of the receipts list:"
                )
                % {"title": application.title, "reference": application.reference},
                "",
                *[
                    f"- {format_date(line.date)} {line.payee}: {line.purpose} "
                    f"({format_eur(line.amount + line.vat)}"
                    + (f", {_('receipt')} {line.receipt_number}" if line.receipt_number else "")
                    + ")"
                    for line in lines
                ],
            ]
            if entry.comment:
                text += ["", _("Comment:"), entry.comment]
            text += [
                "",
                application_url(application.pk, "receipts"),
                "",
                _("This message was sent by Zuwendo."),
            ]
        return str(subject), "\n".join(str(line) for line in text)

    return _send_once(
        f"receipts:{entry.pk}",
        _reachable(_sponsors(application)),
        render_for,
        reference=application.reference or "",
        program_name=application.program.name,
    )


def send_infected_mail(*, audit_entry_id: int) -> int:
    """DOMAIN.md, "Attachments": an infected file is deleted and its uploader told why."""
    entry = AuditEntry.objects.select_related("trail_type").get(pk=audit_entry_id)
    application = entry.trail
    uploader = User.objects.filter(
        pk__in=AttachedFile.objects.filter(pk=entry.data.get("attachment")).values("uploaded_by_id")
    )

    def render_for(user: User) -> tuple[str, str]:
        with translation.override(user.language):
            subject = _("[Zuwendo] %(reference)s: a file was refused") % {
                "reference": application.reference or application.title
            }
            text = [
                _greeting(user),
                "",
                _(
                    "the virus scanner found “%(verdict)s” in the file “%(name)s” you "
                    "attached to “%(title)s”. The file was deleted; please check the "
                    "computer it came from and attach a clean copy."
                )
                % {
                    "verdict": entry.data.get("verdict", ""),
                    "name": entry.data.get("name", ""),
                    "title": application.title,
                },
                "",
                _("This message was sent by Zuwendo."),
            ]
        return str(subject), "\n".join(str(line) for line in text)

    return _send_once(
        f"infected:{entry.pk}",
        _reachable(uploader),
        render_for,
        reference=application.reference or "",
        program_name=application.program.name,
    )


def send_meeting_invitations(*, audit_entry_id: int) -> int:
    """The invitation to a meeting with its agenda, to every member of the body on the
    meeting's day (voting, advisory and deputies), each in their language."""
    entry = AuditEntry.objects.get(pk=audit_entry_id)
    meeting = Meeting.objects.select_related("body").get(pk=entry.trail_id)
    items = list(meeting.items.select_related("application").order_by("position"))
    members = body_members_on(meeting.body_id, timezone.localdate(meeting.starts_at))
    users = User.objects.filter(pk__in=members.values("user_id"))

    def render_for(user: User) -> tuple[str, str]:
        with translation.override(user.language):
            when = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
            subject = _("[Zuwendo] Invitation: %(body)s, %(when)s") % {
                "body": meeting.body.name,
                "when": when,
            }
            lines = [
                _greeting(user),
                "",
                _("you are invited to the meeting of the %(body)s on %(when)s in %(place)s.")
                % {"body": meeting.body.name, "when": when, "place": meeting.place},
                "",
                *(
                    [
                        _(
                            "The body is called again on the same items: this meeting is "
                            "quorate regardless of the number of members present (§ 90 "
                            "Abs. 2 VwVfG)."
                        ),
                        "",
                    ]
                    if meeting.quorate_notice
                    else []
                ),
                _("Agenda:"),
                *(
                    f"{item.position}. {item.application.reference}: {item.application.title}"
                    for item in items
                ),
                "",
                _(
                    "If you have a conflict of interest in one of these applications "
                    "(§ 20 VwVfG), please declare it beforehand."
                ),
                "",
                _("The dossier (Sitzungsvorlage) is attached and can be downloaded here:"),
                f"{settings.PUBLIC_URL}/api/meetings/{meeting.pk}/dossier/",
                "",
                _("This message was sent by Zuwendo."),
            ]
        return str(subject), "\n".join(str(line) for line in lines)

    def attach_for(user: User) -> list[Attachment]:
        return document_attachment("dossier", meeting, user.language)

    # Each invitation (the office may send it again after a change) is its own occasion.
    key = f"meeting-invite:{entry.pk}"
    sent = _send_once(
        key,
        _reachable(users),
        render_for,
        attach_for=attach_for,
        program_name=meeting.body.program.name,
    )
    # § 90 Abs. 1 S. 1 VwVfG: the delivery log says who was invited.
    delivered = Delivery.objects.filter(
        key__startswith=f"{key}:", state=Delivery.State.SENT
    ).values_list("recipient_id", flat=True)
    meeting.invitations_delivered.add(*[pk for pk in delivered if pk is not None])
    return sent


def send_invitation_mail(*, audit_entry_id: int) -> int:
    """The invitation e-mail to the invited address, in the language of the account that
    has it (German when none does). The text is the same either way: nobody learns from
    it whether an account exists."""
    entry = AuditEntry.objects.get(pk=audit_entry_id)
    invitation = Invitation.objects.select_related("organization", "invited_by").get(
        pk=entry.data["invitation"]
    )
    account = account_with_address(invitation.email)

    def render_invitation() -> tuple[str, str]:
        return _invitation_text(invitation, account)

    return int(
        deliver(
            key=f"invitation:{entry.pk}:{invitation.email}",
            occasion="invitation",
            user=account,
            address=invitation.email,
            render=render_invitation,
        )
    )


def _invitation_text(invitation: Invitation, account: User | None) -> tuple[str, str]:
    with translation.override(account.language if account else settings.LANGUAGE_CODE):
        inviter = invitation.invited_by.get_full_name() or invitation.invited_by.username
        subject = _("[Zuwendo] Invitation to %(organization)s") % {
            "organization": invitation.organization.name
        }
        body = "\n".join(
            str(line)
            for line in (
                _("Hello,"),
                "",
                _("%(inviter)s invites you to act for “%(organization)s” in Zuwendo.")
                % {"inviter": inviter, "organization": invitation.organization.name},
                "",
                _("Accept or decline it by %(date)s, signed in with this address, here:")
                % {"date": formats.date_format(timezone.localtime(invitation.expires_at))},
                invitation_url(invitation),
                "",
                _("If you have no account yet, the page lets you register with this address."),
                "",
                _("This message was sent by Zuwendo."),
            )
        )
    return str(subject), body


def send_account_mail(*, audit_entry_id: int) -> int:
    """The mails of self-registration, to the address given: the link that verifies it
    (``user.register``, ``user.verify_email_request``), or, when an account has verified
    that address already (``user.register_known``), a note to its owner with their user
    name and the password reset (the registration page said the same in both cases)."""
    entry = AuditEntry.objects.get(pk=audit_entry_id)
    user = User.objects.filter(pk=entry.trail_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    if entry.action == "register" and entry.data.get("verified"):
        return 0  # verified by the invitation's link: nothing to confirm
    known = entry.action == "register_known"
    if not known and user.email_verified:
        return 0

    def render_account_mail() -> tuple[str, str]:
        with translation.override(user.language):
            if known:
                subject = _("[Zuwendo] You already have an account")
                lines = [
                    _greeting(user),
                    "",
                    _(
                        "Someone just tried to register in Zuwendo with this e-mail "
                        "address. It belongs to your account already: your user name is "
                        "“%(username)s”."
                    )
                    % {"username": user.username},
                    "",
                    _("If you forgot your password, set a new one here:"),
                    f"{settings.PUBLIC_URL}/password-reset/",
                    "",
                    _("If it was not you, you need not do anything."),
                ]
            else:
                subject = _("[Zuwendo] Confirm your e-mail address")
                lines = [
                    _greeting(user),
                    "",
                    _(
                        "Please confirm that this is your e-mail address by opening this "
                        "link within %(days)s days:"
                    )
                    % {"days": VERIFY_EMAIL_DAYS},
                    verification_url(user),
                    "",
                    _(
                        "Only a confirmed address receives the invitations of an "
                        "organisation. If you did not register in Zuwendo, ignore this "
                        "message."
                    ),
                ]
            lines += ["", _("This message was sent by Zuwendo.")]
            return str(subject), "\n".join(str(line) for line in lines)

    return int(
        deliver(
            key=f"account:{entry.pk}",
            occasion="account",
            user=user,
            render=render_account_mail,
        )
    )
