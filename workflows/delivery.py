"""Sending an e-mail through the delivery log (``workflows.models.Delivery``): nothing is
lost, nothing is sent twice but the one duplicate no mail system can rule out.

The order, for one key (occasion, object, recipient, due date):

1. the row is queued if new and an attempt claimed under its lock, committed before
   anything is sent: ``attempts`` + 1, and a lease so that a second worker on the same
   key at the same time leaves it alone;
3. the mail goes to the mail server with the key's stable ``Message-ID``;
4. the row is marked ``sent``.

A worker killed before 3 leaves a queued row that the next run sends; killed between 3
and 4, the next run sends it again with the same Message-ID and counts a resend. A
failure the code sees (SMTP error) marks the row ``failed`` and raises, so the task's
retry sends it (not a resend: the server refused it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, urlize

from core.text import header_safe
from grants.models import User
from workflows.models import Delivery

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def lease() -> timedelta:
    """A claimed attempt older than this is presumed dead (its worker was killed)."""
    return timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)


def as_html(text: str) -> str:
    """The plain text as a simple HTML part: paragraphs, line breaks, links."""
    paragraphs = [part.strip("\n") for part in text.split("\n\n") if part.strip()]
    body = "".join(
        "<p>{}</p>".format(urlize(escape(part)).replace("\n", "<br>")) for part in paragraphs
    )
    return f'<!DOCTYPE html><html><body style="font-family: sans-serif">{body}</body></html>'


def message_id_for(key: str) -> str:
    """A stable Message-ID for a key: every attempt of the same mail carries it."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}@{settings.MESSAGE_ID_DOMAIN}>"


def _claim(
    *,
    key: str,
    occasion: str,
    user: User | None,
    address: str,
    reference: str,
    due: date | None,
) -> Delivery | None:
    """Queue the row if it is new and claim an attempt, in one committed transaction;
    ``None`` when it was sent or another worker holds it."""
    with transaction.atomic():
        Delivery.objects.bulk_create(
            [
                Delivery(
                    key=key,
                    occasion=occasion,
                    recipient=user,
                    address=address,
                    reference=reference,
                    due=due,
                    message_id=message_id_for(key),
                )
            ],
            ignore_conflicts=True,  # queued before, by this run or another
        )
        locked = Delivery.objects.select_for_update().get(key=key)
        if locked.state == Delivery.State.SENT:
            return None
        now = timezone.now()
        unknown = locked.state == Delivery.State.QUEUED and locked.attempts > 0
        if unknown and locked.claimed_at and now - locked.claimed_at < lease():
            return None  # another worker is sending it right now
        if unknown:
            locked.resends += 1  # the last attempt's outcome was never recorded
        locked.attempts += 1
        locked.state = Delivery.State.QUEUED
        locked.claimed_at = now
        locked.save(update_fields=["attempts", "resends", "state", "claimed_at"])
        return locked


def deliver(
    *,
    key: str,
    occasion: str,
    user: User | None,
    render: Callable[[], tuple[str, str]],
    address: str = "",
    reference: str = "",
    due: date | None = None,
    attachments: Callable[[], list[Attachment]] | None = None,
) -> bool:
    """Send the mail for ``key`` unless the log says it went out; answers whether this
    call handed it to the mail server. ``attachments`` (file name, content, MIME type)
    are produced only when the mail is actually sent."""
    address = address or (user.email if user else "")
    claimed = _claim(
        key=key, occasion=occasion, user=user, address=address, reference=reference, due=due
    )
    if claimed is None:
        return False
    try:
        subject, body = render()
        message = EmailMultiAlternatives(
            # One line whatever the data held: a name with a line break in it (stored
            # before the text rules of core.text) cannot add a header.
            header_safe(subject),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            headers={"Message-ID": claimed.message_id},
        )
        message.attach_alternative(as_html(body), "text/html")
        for filename, content, mimetype in attachments() if attachments else []:
            message.attach(filename, content, mimetype)
        message.send()
    except Exception as exc:
        Delivery.objects.filter(pk=claimed.pk).update(
            state=Delivery.State.FAILED, failure=str(exc)[:2000]
        )
        raise
    Delivery.objects.filter(pk=claimed.pk).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), failure=""
    )
    return True
