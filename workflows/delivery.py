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
from email.header import Header
from email.message import Message
from email.utils import formatdate, quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, urlize

from core.text import header_safe
from grants.models import User
from workflows.links import unsubscribe_url
from workflows.models import Delivery

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def lease() -> timedelta:
    """A claimed attempt older than this is presumed dead (its worker was killed)."""
    return timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)


def as_html(text: str, language: str = "de") -> str:
    """The plain text as a simple HTML part in ``language``: paragraphs, line breaks,
    links."""
    paragraphs = [part.strip("\n") for part in text.split("\n\n") if part.strip()]
    body = "".join(
        "<p>{}</p>".format(urlize(escape(part)).replace("\n", "<br>")) for part in paragraphs
    )
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'</head><body style="font-family: sans-serif">{body}</body></html>'
    )


def mailbox(name: str, address: str) -> str:
    """``"Name" <address>`` with the name quoted (a comma or a quote in it stays part of
    the name) and on one line; Django encodes a name that is not ASCII (RFC 2047)."""
    name = header_safe(name).strip()
    return f'"{quote(name)}" <{address}>' if name else address


def sender(program_name: str = "") -> str:
    """The From of every mail: Zuwendo and, where the mail is about one, the program."""
    name = f"Zuwendo – {program_name}" if program_name else "Zuwendo"
    return mailbox(name, settings.DEFAULT_FROM_EMAIL)


class _Mail(EmailMultiAlternatives):
    """Django 5.2 encodes a non-ASCII subject without knowing the header's name, so the
    generator folds it after ``Subject:`` and a mail client reads it with a leading space;
    encoded knowing it is the Subject, its first word fits on the first line."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        if not self.subject.isascii():
            del message["Subject"]
            # Past Django's SafeMIME check (the text is one line: header_safe).
            Message.__setitem__(
                message, "Subject", Header(self.subject, "utf-8", header_name="Subject")
            )
        return message


def headers_for(
    *, message_id: str, language: str, user: User | None, optional: bool
) -> dict[str, str]:
    """What every automatic mail says of itself: RFC 3834 (no auto-replies to it), its
    language, and for a notification the recipient may switch off, RFC 2369/8058."""
    headers = {
        "Message-ID": message_id,
        # Dated when handed over, in Europe/Berlin (EMAIL_USE_LOCALTIME); Django would
        # date it whenever the message is rendered, a retry or a test much later.
        "Date": formatdate(localtime=True),
        "Auto-Submitted": "auto-generated",
        "Content-Language": language,
    }
    if optional and user is not None:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(user)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


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
    program_name: str = "",
    optional: bool = False,
) -> bool:
    """Send the mail for ``key`` unless the log says it went out; answers whether this
    call handed it to the mail server. ``attachments`` (file name, content, MIME type)
    are produced only when the mail is actually sent. ``program_name`` names the sender
    (``Zuwendo – Partnerschaft für Demokratie Koblenz``); ``optional`` says the recipient
    may switch such mails off (a link to do so goes in the headers)."""
    address = address or (user.email if user else "")
    language = user.language if user else settings.LANGUAGE_CODE
    claimed = _claim(
        key=key, occasion=occasion, user=user, address=address, reference=reference, due=due
    )
    if claimed is None:
        return False
    try:
        subject, body = render()
        name = (user.get_full_name() or user.username) if user else ""
        message = _Mail(
            # One line whatever the data held: a name with a line break in it (stored
            # before the text rules of core.text) cannot add a header.
            header_safe(subject).strip(),
            body,
            sender(program_name),
            [address],  # the envelope; the header names the person too
            headers={
                "To": mailbox(name, address),
                **headers_for(
                    message_id=claimed.message_id,
                    language=language,
                    user=user,
                    optional=optional,
                ),
            },
        )
        message.attach_alternative(as_html(body, language), "text/html")
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
