"""Permission predicates for organisations, applications and their transitions."""

from __future__ import annotations

import rules

from grants.roles import roles_of
from grants.rules import holds_committee_role, holds_office_role, is_admin, is_program_office
from projects.roles import invitation_address, organization_ids_of


@rules.predicate
def is_organization_member(user, organization) -> bool:
    return organization is not None and organization.pk in organization_ids_of(user)


@rules.predicate
def is_applicant(user, application) -> bool:
    """A sponsor: a member of the organisation that applies."""
    return application is not None and application.organization_id in organization_ids_of(user)


@rules.predicate
def is_invitee(user, invitation) -> bool:
    """The person an invitation was sent to (by the account's address)."""
    address = invitation_address(user)
    return invitation is not None and bool(address) and invitation.email == address


@rules.predicate
def can_see_application(user, application) -> bool:
    from projects.selectors import applications_visible_to

    return (
        application is not None and applications_visible_to(user).filter(pk=application.pk).exists()
    )


def _deciding_body_id(obj) -> int | None:
    """The body that decides: an application's call's body, a meeting's body, a body."""
    if obj is None:
        return None
    if hasattr(obj, "call"):
        return obj.call.body_id
    return getattr(obj, "body_id", None) or getattr(obj, "pk", None)


@rules.predicate
def sits_on_deciding_body(user, obj) -> bool:
    """A current member (voting or advisory) of the body that decides ``obj``."""
    return _deciding_body_id(obj) in roles_of(user).committee_body_ids


@rules.predicate
def votes_in_deciding_body(user, obj) -> bool:
    """A current voting member of that body, or a deputy of one."""
    return _deciding_body_id(obj) in roles_of(user).voting_body_ids


@rules.predicate
def chairs_deciding_body(user, obj) -> bool:
    return _deciding_body_id(obj) in roles_of(user).chair_body_ids


rules.add_perm("projects.change_organization", is_admin | is_organization_member)
rules.add_perm("projects.manage_members", is_admin | is_organization_member)
# CONTRACT.md: only administrators add members directly; members invite.
rules.add_perm("projects.add_member", is_admin)
# Only the invitee answers an invitation (consent); to anybody else it does not exist.
rules.add_perm("projects.answer_invitation", is_invitee)
rules.add_perm("projects.add_application", is_admin | is_organization_member)
rules.add_perm("projects.view_application", can_see_application)
# The state rules (editable only in draft / revision_requested, delete only drafts) are the
# services' business and answer 409; these say who may edit at all.
rules.add_perm("projects.change_application", is_admin | is_applicant)
rules.add_perm("projects.delete_application", is_admin | is_applicant)
rules.add_perm("projects.view_application_history", can_see_application)
# Who gets the admin site's application and audit pages (rows are then scoped by visibility).
rules.add_perm(
    "projects.use_application_admin", is_admin | holds_office_role | holds_committee_role
)
# The lifecycle's ``permission=`` (projects.lifecycle): the sponsor's side (submit,
# resubmit, withdraw, accept the agreement) and the office's (formal check, revision
# request, committee, fast track, rejection).
rules.add_perm("projects.take_sponsor_step", is_admin | is_applicant)
rules.add_perm("projects.take_office_step", is_admin | is_program_office)

# Committee review (DOMAIN.md): members vote, object and declare conflicts; the office
# records conflicts, reopens voting, runs meetings and keeps the minutes; the chair signs.
rules.add_perm("projects.vote", votes_in_deciding_body)
rules.add_perm("projects.object", votes_in_deciding_body)
rules.add_perm("projects.declare_conflict", sits_on_deciding_body)
rules.add_perm("projects.manage_review", is_admin | is_program_office)
rules.add_perm("projects.view_review", is_admin | is_program_office | sits_on_deciding_body)
rules.add_perm("projects.view_all_votes", is_admin | is_program_office)
rules.add_perm("projects.manage_meetings", is_admin | is_program_office)
rules.add_perm("projects.view_meeting", is_admin | is_program_office | sits_on_deciding_body)
rules.add_perm("projects.sign_as_chair", chairs_deciding_body)
# A funded project's money: the sponsor and the office (payouts, receipts, proof of use).
rules.add_perm("projects.view_money", is_admin | is_applicant | is_program_office)
# Payout batches with their payment order and SEPA file: the program's office.
rules.add_perm("projects.pay_out", is_admin | is_program_office)


# Attachments (DOMAIN.md, "Attachments"): who sees a file sees what it is attached to,
# except that the committee sees the application's annexes only (never receipts, proof
# of use, interim proofs, change requests, the office's files), funders nothing, and the
# office's own files are the office's. A file not yet scanned clean is its uploader's.
SPONSOR_OWNERS = ("application", "receipt", "proof_of_use", "interim_proof", "change_request")


@rules.predicate
def sees_attachment(user, attachment) -> bool:
    if attachment is None:
        return False
    application = attachment.application
    if user.is_superuser or is_program_office(user, application):
        return True
    if attachment.owner in SPONSOR_OWNERS and is_applicant(user, application):
        return True
    return attachment.owner == "application" and sits_on_deciding_body(user, application)


@rules.predicate
def uploaded_it(user, attachment) -> bool:
    return attachment is not None and attachment.uploaded_by_id == user.pk


@rules.predicate
def is_clean(user, attachment) -> bool:
    return attachment is not None and attachment.scan_state == "clean"


rules.add_perm("projects.view_attachment", sees_attachment)
rules.add_perm("projects.download_attachment", (sees_attachment & is_clean) | uploaded_it)
