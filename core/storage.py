"""Deleting stored files so that none is lost and none outlives its row.

A file is deleted only after the transaction that removed its row has committed (a
rollback must not leave a row without its file), and the wish to delete it is itself
written in that transaction (``PendingFileDeletion``): a crash between commit and
deletion, or a store that fails, leaves the wish, and ``retry_pending_deletions`` (run
by the daily retention sweep) fulfils it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F

from core.models import PendingFileDeletion

logger = logging.getLogger(__name__)


def _delete(pending: list[PendingFileDeletion]) -> int:
    done = 0
    for row in pending:
        try:
            default_storage.delete(row.name)  # a missing file is no error
        except Exception as exc:
            logger.warning("deleting the stored file %s failed: %s", row.name, exc)
            PendingFileDeletion.objects.filter(pk=row.pk).update(
                attempts=F("attempts") + 1, failure=f"{type(exc).__name__}: {exc}"[:2000]
            )
            continue
        PendingFileDeletion.objects.filter(pk=row.pk).delete()
        done += 1
    return done


def delete_after_commit(names: Iterable[str]) -> list[PendingFileDeletion]:
    """Inside the transaction that lets go of the files named ``names`` (in the default
    storage): remember them, and delete them once it commits."""
    pending = PendingFileDeletion.objects.bulk_create(
        [PendingFileDeletion(name=name) for name in dict.fromkeys(names) if name]
    )
    if pending:
        transaction.on_commit(lambda: _delete(pending))
    return pending


def retry_pending_deletions() -> int:
    """Delete the files an earlier run could not (a crash, a failing store); answers
    how many went now."""
    return _delete(list(PendingFileDeletion.objects.order_by("pk")[:10_000]))
