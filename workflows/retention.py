"""The retention sweep and the office's holds (DOMAIN.md, "Data protection").

Daily (beat, ``workflows.tasks.apply_retention``; by hand ``manage.py apply_retention``):

1. the files an earlier run let go of but could not delete are deleted
   (``core.storage.retry_pending_deletions``);
2. every application past its retention period and not on hold is erased, each in one
   transaction of its own: its attachments (``workflows.attachments.delete_files_of``),
   its kept documents and exports (the erasers registered by ``reports``), the personal
   words of its file (``projects.retention.erase_personal_data``) and of its audit trail
   (``core.audit.pseudonymise``), and one audit event with the counts, never the content.
   The bytes go after the commit; a run killed halfway leaves every application either
   untouched or erased, and the next run does the rest;
3. accounts whose erasure waited for a retention period are erased
   (``workflows.privacy``);
4. sign-in records older than ``SIGNIN_RECORDS_DAYS`` are purged (``grants.auth``).

Running it twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, storage
from core.errors import InvalidInput, TransitionNotAllowed, require
from core.text import Limit
from grants.auth import purge_signin_records
from grants.models import User
from projects import retention
from projects.models import Application
from workflows import privacy
from workflows.attachments import delete_files_of

# What an upper layer erases of a file (``reports``: its kept documents and exports):
# called with the locked application inside the sweep's transaction; answers the
# storage names to delete after commit and how many rows went.
Eraser = Callable[[Application], tuple[list[str], int]]
_ERASERS: dict[str, Eraser] = {}


def register_eraser(name: str, eraser: Eraser) -> None:
    """Let the sweep erase ``name`` (e.g. ``documents``) of each due file."""
    _ERASERS[name] = eraser


# -- holds -----------------------------------------------------------------------------


def retention_hold(*, application: Application, actor: User, reason: str) -> Application:
    """The office keeps a file past its retention period (a pending audit, a lawsuit):
    the sweep skips it until the hold is lifted. Audited with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": [_("Say why the file is kept (e.g. a pending audit).")]})
    if len(reason) > Limit.NOTE:
        raise InvalidInput(
            {"reason": [_("At most %(max)s characters.") % {"max": f"{Limit.NOTE:,}"}]}
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require(actor, "projects.take_office_step", locked)
        if locked.erased_at is not None:
            raise TransitionNotAllowed(_("The file was deleted already: there is nothing to keep."))
        locked.retention_hold = reason
        locked.retention_held_at = timezone.now()
        locked.retention_held_by = actor
        locked.save(update_fields=["retention_hold", "retention_held_at", "retention_held_by"])
        audit.record(event="retention.hold", trail=locked, actor=actor, comment=reason)
    return locked


def retention_release(*, application: Application, actor: User) -> Application:
    """The office lifts its hold: the next sweep deletes the file if its period is over."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require(actor, "projects.take_office_step", locked)
        if not locked.retention_hold:
            raise TransitionNotAllowed(_("The file is not on hold."))
        held_since = locked.retention_held_at
        locked.retention_hold = ""
        locked.retention_held_at = None
        locked.retention_held_by = None
        locked.save(update_fields=["retention_hold", "retention_held_at", "retention_held_by"])
        audit.record(
            event="retention.release",
            trail=locked,
            actor=actor,
            data={"held_since": held_since.isoformat() if held_since else None},
        )
    return locked


# -- the sweep -------------------------------------------------------------------------


@dataclass
class SweepResult:
    files_retried: int = 0
    applications: list[str] = field(default_factory=list)  # the erased files' references
    accounts: int = 0
    invitations: int = 0  # addresses of old invitations erased
    signin_records: dict[str, int] = field(default_factory=dict)


def erase_application(application_id: int, today: date) -> dict[str, int] | None:
    """Erase one due file in one transaction; ``None`` when it is no longer due (held,
    erased by another run, its period moved)."""
    with transaction.atomic():
        locked = (
            retention.due_for_deletion(today).select_for_update().filter(pk=application_id).first()
        )
        if locked is None:
            return None
        names: list[str] = []
        counts = {"attachments": delete_files_of(locked)}
        for name, eraser in _ERASERS.items():
            stored, count = eraser(locked)
            names.extend(stored)
            counts[name] = count
        counts.update(retention.erase_personal_data(locked))
        counts["audit_entries"] = audit.pseudonymise(
            audit.trail_of(locked), audit.erasing(retention.PERSONAL_AUDIT_KEYS, retention.ERASED)
        )
        Application.objects.filter(pk=locked.pk).update(erased_at=timezone.now())
        audit.record(
            event="retention.delete",
            trail=locked,
            data={"retention_until": locked.retention_until.isoformat(), **counts},
        )
        storage.delete_after_commit(names)
    return counts


def sweep(
    *,
    today: date | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Apply the retention periods of ``today`` (Europe/Berlin). ``dry_run`` changes
    nothing and answers what would go."""
    today = today or timezone.localdate()
    result = SweepResult()
    due = list(
        retention.due_for_deletion(today)
        .order_by("retention_until", "pk")
        .values_list("pk", "reference")
    )
    if dry_run:
        result.applications = [reference or str(pk) for pk, reference in due]
        result.accounts = privacy.accounts_to_erase().count()
        return result
    result.files_retried = storage.retry_pending_deletions()
    for done, (pk, reference) in enumerate(due, start=1):
        if erase_application(pk, today) is not None:
            result.applications.append(reference or str(pk))
        if progress is not None:
            progress(done, len(due))
    result.accounts = privacy.erase_waiting_accounts()
    result.invitations = retention.forget_invitation_addresses(timezone.now())
    result.signin_records = purge_signin_records()
    return result
