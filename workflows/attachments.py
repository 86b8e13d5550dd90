"""Attachments (DOMAIN.md, "Attachments"): upload, virus scan, delete, and the
retention hook. The bytes stream from Django's temporary upload file to the storage;
the type is detected from them (``core.uploads``); every file waits for ClamAV
(``core.clamd``) before anybody but its uploader may download it. Each step is audited
in the application's trail."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import rules
from celery import current_app
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, clamd, uploads
from core.errors import DomainError, InvalidInput, NotFound, TransitionNotAllowed, require
from core.storage import delete_after_commit
from grants.models import AnnexType, User
from projects.models import Application, Attachment, Owner, ScanState
from projects.selectors import application_for_update
from projects.states import ApplicationState as S

logger = logging.getLogger(__name__)

# The owners a sponsor attaches to, and in which states of the application.
SPONSOR_STATES = {
    Owner.APPLICATION: (
        S.DRAFT,
        S.SUBMITTED,
        S.REVISION_REQUESTED,
        S.COMMITTEE_REVIEW,
        S.APPROVED,
        S.FUNDED,
        S.PROOF_SUBMITTED,
    ),
    Owner.RECEIPT: (S.FUNDED, S.PROOF_SUBMITTED),
    Owner.PROOF_OF_USE: (S.FUNDED, S.PROOF_SUBMITTED),
    Owner.INTERIM_PROOF: (S.FUNDED,),
    Owner.CHANGE_REQUEST: (S.FUNDED,),
}
FINAL = (S.CLOSED, S.REJECTED, S.WITHDRAWN)


class TooLarge(DomainError):
    status_code = 413
    code = "too_large"


class UnsupportedType(DomainError):
    status_code = 415
    code = "unsupported_type"


def _owner_problems(locked: Application, owner: str, owner_id: int | None) -> dict:
    """The object attached to belongs to the application."""
    related = {
        Owner.RECEIPT: locked.expenditures,
        Owner.INTERIM_PROOF: locked.interim_proofs,
        Owner.CHANGE_REQUEST: locked.change_requests,
    }
    if owner in related:
        if owner_id is None or not related[owner].filter(pk=owner_id).exists():
            return {"owner_id": [_("Not an object of this application.")]}
    elif owner_id is not None:
        return {"owner_id": [_("Only a receipt, an interim proof or a change request has one.")]}
    return {}


def _may_attach(actor: User, locked: Application, owner: str) -> None:
    if locked.state in FINAL:
        raise TransitionNotAllowed(
            _("The file is “%(state)s”: its attachments no longer change.")
            % {"state": locked.get_state_display()}
        )
    if owner == Owner.OFFICE:
        require(actor, "projects.take_office_step", locked)
        return
    require(actor, "projects.take_sponsor_step", locked)
    if locked.state not in SPONSOR_STATES[owner]:
        raise TransitionNotAllowed(
            _("Files of this kind are attached while the application is %(states)s.")
            % {"states": ", ".join(str(S(state).label) for state in SPONSOR_STATES[owner])}
        )


def _local_copy(upload: UploadedFile) -> tuple[str, bool]:
    """A path on disk holding the upload: Django's temporary file, or one written here
    (the upload handler may keep a small file in memory)."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path(), False
    handle, path = tempfile.mkstemp(prefix="zuwendo-upload-")
    with os.fdopen(handle, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path, True


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def attachment_upload(
    *,
    application: Application,
    actor: User,
    upload: UploadedFile,
    owner: str = Owner.APPLICATION,
    owner_id: int | None = None,
    annex_type: AnnexType | None = None,
    description: str = "",
) -> tuple[Attachment, bool]:
    """Attach ``upload`` (DOMAIN.md): a type its bytes show to be allowed, within the
    limits, stored once per content and owner; pending until the virus scan. Answers the
    attachment and whether it is new (the same content again: the one on file)."""
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(errors={"file": [_("The file is empty.")]})
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise TooLarge(
            _("A file may have at most %(mb)s MB.")
            % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    path, own_copy = _local_copy(upload)
    try:
        try:
            accepted = tuple(application.program.attachment_types) or uploads.ALLOWED
            detected = uploads.detect(path, accepted)
        except uploads.Refused as refused:
            raise UnsupportedType(refused.reason) from None
        digest = _sha256(path)
        with transaction.atomic():
            locked = application_for_update(application, with_lines=False)
            _may_attach(actor, locked, owner)
            problems = _owner_problems(locked, owner, owner_id)
            if annex_type is not None and (
                owner != Owner.APPLICATION or annex_type.call_id != locked.call_id
            ):
                problems["kind"] = [_("Not an annex type of this application's call.")]
            if problems:
                raise InvalidInput(errors=problems)
            existing = Attachment.objects.filter(
                application=locked, owner=owner, owner_id=owner_id, sha256=digest
            ).first()
            if existing is not None:
                return existing, False
            used = sum(
                Attachment.objects.filter(application=locked)
                .exclude(scan_state=ScanState.INFECTED)
                .values_list("size", flat=True)
            )
            if used + size > settings.ATTACHMENT_MAX_TOTAL:
                raise TooLarge(
                    _("An application may have at most %(mb)s MB of files.")
                    % {"mb": settings.ATTACHMENT_MAX_TOTAL // (1024 * 1024)}
                )
            attachment = Attachment(
                application=locked,
                owner=owner,
                owner_id=owner_id,
                annex_type=annex_type,
                description=(description or "").strip(),
                original_name=uploads.safe_name(upload.name or "", detected.extension),
                content_type=detected.content_type,
                size=size,
                sha256=digest,
                uploaded_by=actor,
            )
            with open(path, "rb") as handle:
                attachment.file.save(digest, File(handle), save=False)
            stored, storage = attachment.file.name, attachment.file.storage
            try:
                with transaction.atomic():
                    attachment.save()
                audit.record(
                    event="attachment.upload",
                    trail=locked,
                    actor=actor,
                    data=_snapshot(attachment),
                )
            except IntegrityError:
                storage.delete(stored)  # nothing half-saved: no bytes without their row
                raise InvalidInput(errors={"file": [_("This file is attached already.")]}) from None
            except BaseException:
                storage.delete(stored)
                raise
            attachment_id = attachment.pk
            transaction.on_commit(lambda: queue_scan(attachment_id))
        return attachment, True
    finally:
        if own_copy:
            os.unlink(path)


def _snapshot(attachment: Attachment) -> dict[str, Any]:
    return {
        "attachment": attachment.pk,
        "owner": attachment.owner,
        "owner_id": attachment.owner_id,
        "kind": attachment.annex_type.name if attachment.annex_type else "other",
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


# The tasks are sent by name: ``workflows.tasks`` imports this module.
SCAN_TASK = "workflows.tasks.scan_attachment"
INFECTED_TASK = "workflows.tasks.notify_infected_attachment"


def queue_scan(attachment_id: int) -> None:
    try:
        current_app.signature(SCAN_TASK, args=(attachment_id,)).delay()
    except Exception:  # a broker down: the file stays pending, the sweep sends it again
        logger.exception("queueing the scan of attachment %s failed", attachment_id)


def _chunks(attachment: Attachment) -> Iterator[bytes]:
    with attachment.file.open("rb") as handle:
        yield from iter(lambda: handle.read(64 * 1024), b"")


def attachment_scan(attachment_id: int) -> str:
    """The virus scan's verdict, recorded: clean (downloadable), infected (the bytes
    deleted, the uploader told), failed (clamd answered with an error). Without
    ``CLAMD_URL`` the file stays pending, unless ``ATTACHMENT_SCAN=off`` says files go
    unscanned. An unreachable clamd raises ``OSError``: the task retries, the file stays
    pending, never clean."""
    attachment = Attachment.objects.select_related("application").filter(pk=attachment_id).first()
    if attachment is None or attachment.scan_state != ScanState.PENDING:
        return "skipped"
    if settings.ATTACHMENT_SCAN == "off":
        return _record(attachment, ScanState.CLEAN, _("not scanned (ATTACHMENT_SCAN=off)"))
    if not settings.CLAMD_URL:
        logger.warning("attachment %s stays pending: CLAMD_URL is not set", attachment_id)
        return "pending"
    try:
        verdict = clamd.scan(_chunks(attachment), settings.CLAMD_URL)
    except clamd.ScanError as error:
        return _record(attachment, ScanState.FAILED, str(error)[:300])
    if verdict.infected:
        return _record(attachment, ScanState.INFECTED, verdict.text[:300])
    return _record(attachment, ScanState.CLEAN, "OK")


def _record(attachment: Attachment, state: str, verdict: str) -> str:
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.scan_state != ScanState.PENDING:
            return "skipped"
        locked.scan_state, locked.scan_verdict = state, verdict
        locked.scanned_at = timezone.now()
        stored = locked.file.name
        if state == ScanState.INFECTED:
            locked.file = ""
        locked.save(update_fields=["scan_state", "scan_verdict", "scanned_at", "file"])
        entry = audit.record(
            event=f"attachment.scan_{state}",
            trail=locked.application,
            actor=None,
            data={**_snapshot(locked), "verdict": verdict},
        )
        if state == ScanState.INFECTED:
            storage = attachment.file.storage
            entry_id = entry.pk
            transaction.on_commit(lambda: storage.delete(stored))
            transaction.on_commit(lambda: notify_infected(entry_id))
    return state


def notify_infected(entry_id: int) -> None:
    try:
        current_app.signature(INFECTED_TASK, args=(entry_id,)).delay()
    except Exception:
        logger.exception("telling of the infected attachment (entry %s) failed", entry_id)


def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    """A sponsor deletes their files only while the application is a draft (the office
    has seen nothing yet); afterwards files are added, not deleted (decision 019). The
    office deletes its own files until the file is closed. Audited."""
    with transaction.atomic():
        locked = application_for_update(attachment.application, with_lines=False)
        row = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.state in FINAL:
            raise TransitionNotAllowed(_("The file is closed: its attachments no longer change."))
        if row.owner == Owner.OFFICE:
            require(actor, "projects.take_office_step", locked)
        else:
            require(actor, "projects.take_sponsor_step", locked)
            if locked.state != S.DRAFT:
                raise TransitionNotAllowed(
                    _("After submission files are added, not deleted: the office has them.")
                )
        stored, storage = row.file.name, row.file.storage
        audit.record(event="attachment.delete", trail=locked, actor=actor, data=_snapshot(row))
        row.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


def delete_files_of(application: Application) -> int:
    """The retention hook (DOMAIN.md, "Data protection"): every attachment of
    ``application``, its row now and its bytes once the caller's transaction commits
    (``core.storage.delete_after_commit``: retried if the store fails). The caller
    (``workflows.retention``) holds the file locked and records the one audit event.
    Answers how many."""
    with transaction.atomic():
        rows = list(Attachment.objects.filter(application=application).values_list("pk", "file"))
        Attachment.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
        delete_after_commit(name for _pk, name in rows)
    return len(rows)


def missing_annexes(application) -> list[dict]:
    """The call's required annexes not yet attached and scanned clean, with their state
    (missing, pending, infected, failed)."""
    files = application.attachments.filter(owner=Owner.APPLICATION).exclude(annex_type=None)
    best: dict[int, str] = {}
    for annex_id, state in files.values_list("annex_type_id", "scan_state"):
        if best.get(annex_id) != ScanState.CLEAN:
            best[annex_id] = state
    return [
        {"id": annex.pk, "name": annex.name, "state": best.get(annex.pk, "missing")}
        for annex in application.call.annex_types.filter(required=True).order_by("position", "pk")
        if best.get(annex.pk) != ScanState.CLEAN
    ]


def visible_of(application, user: User) -> list[Attachment]:
    """The application's files the user may see (DOMAIN.md, "Attachments")."""
    rows = application.attachments.select_related("annex_type", "uploaded_by", "application")
    return [
        row
        for row in rows.order_by("uploaded_at", "pk")
        if rules.has_perm("projects.view_attachment", user, row)
    ]


def get_visible(user: User, pk: int) -> Attachment:
    from projects.selectors import applications_visible_to

    attachment = (
        Attachment.objects.select_related("application", "annex_type", "uploaded_by")
        .filter(pk=pk, application__in=applications_visible_to(user).values("pk"))
        .first()
    )
    if attachment is None or not rules.has_perm("projects.view_attachment", user, attachment):
        raise NotFound()
    return attachment
