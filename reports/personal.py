"""What Zuwendo holds about one person, as one ZIP (DSGVO Art. 15; DOMAIN.md, "Data
protection"), and the retention sweep's eraser of a file's kept documents.

The archive holds ``daten.json`` (the account, memberships and roles, invitations,
votes, conflict declarations, objections, uploads, applications they created, e-mails
sent to them, sign-in records, and the audit entries naming them) and under
``uploads/`` the files they uploaded that were scanned clean. Only their own data: of
an audit entry another person wrote, the event, time and file number, not its words; of
their own uploads the file, of others' none.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from grants.models import ProgramRole, User
from projects.models import (
    Application,
    Attachment,
    ConflictDeclaration,
    Invitation,
    Membership,
    Objection,
    Vote,
)
from reports.archive import Zip
from reports.models import Export
from workflows.models import Delivery

FORMAT = "zuwendo-personal-data/1"


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "email_verified": user.email_verified,
        "language": user.language,
        "optional_notifications": user.optional_notifications,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "erasure_requested_at": user.erasure_requested_at,
        "two_factor_devices": [
            {"name": device.name, "confirmed": device.confirmed}
            for device in TOTPDevice.objects.filter(user=user)
        ],
    }


def _file(application: Application | None) -> dict[str, Any] | None:
    if application is None:
        return None
    return {"id": application.pk, "reference": application.reference, "title": application.title}


def _audit(user: User) -> list[dict[str, Any]]:
    """The entries naming the person: those they caused (with their words and data),
    those filed in their account's trail, and those whose words name their address or
    username (event and time only: the words are another's)."""
    own_trail = Q(trail_type=ContentType.objects.get_for_model(User), trail_id=user.pk)
    entries = list(
        audit.entries_naming([user.email, user.username], also=Q(actor=user) | own_trail)
        .select_related("trail_type")
        .order_by("at", "pk")
    )
    application_type = ContentType.objects.get_for_model(Application)
    references = dict(
        Application.objects.filter(
            pk__in=[e.trail_id for e in entries if e.trail_type_id == application_type.pk]
        ).values_list("pk", "reference")
    )
    rows = []
    for entry in entries:
        own = entry.actor_id == user.pk
        rows.append(
            {
                "at": entry.at,
                "event": entry.event,
                "about": entry.trail_type.model,
                "file": references.get(entry.trail_id)
                if entry.trail_type_id == application_type.pk
                else None,
                "from": entry.source,
                "to": entry.target,
                "by_you": own,
                "comment": entry.comment if own else "",
                "data": entry.data if own else {},
            }
        )
    return rows


def personal_data(user: User) -> dict[str, Any]:
    """Everything in ``daten.json``."""
    email = (user.email or "").strip()
    invitations = Invitation.objects.filter(
        Q(invited_by=user) | Q(decided_by=user) | (Q(email__iexact=email) if email else Q(pk=None))
    ).select_related("organization")
    return {
        "format": FORMAT,
        "account": _account(user),
        "memberships": [
            {"organization": m.organization.name, "since": m.created_at}
            for m in Membership.objects.filter(user=user).select_related("organization")
        ],
        "roles": [
            {
                "program": role.program.name,
                "role": role.role,
                "body": role.body.name if role.body_id else None,
                "voting": role.voting,
                "chair": role.chair,
                "valid_from": role.valid_from,
                "valid_until": role.valid_until,
            }
            for role in ProgramRole.objects.filter(user=user).select_related("program", "body")
        ],
        "invitations": [
            {
                "organization": invitation.organization.name,
                "you": (
                    "invited"
                    if email and invitation.email.lower() == email.lower()
                    else "invited_someone"
                    if invitation.invited_by_id == user.pk
                    else "decided"
                ),
                "email": invitation.email
                if email and invitation.email.lower() == email.lower()
                else "",
                "state": invitation.state,
                "created_at": invitation.created_at,
                "decided_at": invitation.decided_at,
            }
            for invitation in invitations
        ],
        "votes": [
            {
                "file": _file(vote.application),
                "choice": vote.choice,
                "comment": vote.comment,
                "cast_at": vote.cast_at,
                "changed_at": vote.changed_at,
                "void": vote.void,
            }
            for vote in Vote.objects.filter(member=user).select_related("application")
        ],
        "conflict_declarations": [
            {
                "file": _file(declaration.application),
                "reason": declaration.reason,
                "declared_at": declaration.declared_at,
                "excluded": declaration.excluded,
            }
            for declaration in ConflictDeclaration.objects.filter(member=user).select_related(
                "application"
            )
        ],
        "objections": [
            {"file": _file(o.application), "reason": o.reason, "raised_at": o.raised_at}
            for o in Objection.objects.filter(member=user).select_related("application")
        ],
        "uploads": [
            {
                "file": _file(a.application),
                "name": a.original_name,
                "kind": a.owner,
                "description": a.description,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
                "scan_state": a.scan_state,
                "in_archive": f"uploads/{a.pk}-{a.original_name}"
                if a.scan_state == "clean" and a.file
                else None,
            }
            for a in Attachment.objects.filter(uploaded_by=user).select_related("application")
        ],
        "applications_created": [
            {**_file(a), "state": a.state, "created_at": a.created_at}
            for a in Application.objects.filter(created_by=user)
        ],
        "emails_sent_to_you": [
            {
                "occasion": d.occasion,
                "file": d.reference,
                "address": d.address,
                "state": d.state,
                "queued_at": d.queued_at,
                "sent_at": d.sent_at,
            }
            for d in Delivery.objects.filter(recipient=user).order_by("queued_at", "pk")
        ],
        "sign_in_records": {
            "successful": [
                {"at": log.attempt_time, "address": log.ip_address, "browser": log.user_agent}
                for log in AccessLog.objects.filter(username__in={user.username, user.username_key})
            ],
            "failed": [
                {
                    "at": attempt.attempt_time,
                    "address": attempt.ip_address,
                    "failures": attempt.failures_since_start,
                }
                for attempt in AccessAttempt.objects.filter(
                    username__in={user.username, user.username_key}
                )
            ],
        },
        "audit_entries": _audit(user),
    }


def build_personal_export(user: User):
    """The ZIP as a temporary file, positioned at its start."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (kept in the storage by the caller)
    archive = Zip(handle)
    data = personal_data(user)
    archive.add_bytes(
        "daten.json",
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8"),
    )
    for attachment in Attachment.objects.filter(uploaded_by=user, scan_state="clean").exclude(
        file=""
    ):
        archive.add_file(
            f"uploads/{attachment.pk}-{attachment.original_name}",
            attachment.file,
            attachment.sha256,
            attachment.size,
        )
    archive.archive.close()
    handle.seek(0)
    return handle


def personal_export_request(*, user: User) -> Export:
    """Ask for the archive (built by ``reports.tasks.build_export_file``, queued after
    commit by the caller); an unfinished request is answered again."""
    with transaction.atomic():
        running = (
            Export.objects.select_for_update()
            .filter(
                kind=Export.Kind.PERSONAL_DATA,
                requested_by=user,
                status__in=[Export.Status.PENDING, Export.Status.RUNNING],
            )
            .first()
        )
        if running is not None:
            return running
        job = Export.objects.create(
            kind=Export.Kind.PERSONAL_DATA, requested_by=user, token=secrets.token_hex(24)
        )
        audit.record(event="account.export", trail=user, actor=user)
    return job
