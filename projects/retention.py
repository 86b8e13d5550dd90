"""What the retention period lets go of in an application's file (DOMAIN.md, "Data
protection"), and which files are due.

An application is due for deletion on the day after its ``retention_until`` (the last
day the budget law requires the records to be kept, ANBest-P Nr. 6), unless the office
holds it (``retention_hold``) or it was erased already (``erased_at``). What goes: the
words a person wrote or that name a person (the summary, the reasons, the narratives,
comments and notes, the names of payees who are natural persons). What stays: what the
funder's statistics need (amounts per category, states, dates, the file number, the
title, the organisation, participant numbers). The files themselves (attachments,
kept documents) go through their own services (``workflows.retention``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from projects.models import (
    Application,
    ChangeRequest,
    ConflictDeclaration,
    Expenditure,
    InterimProof,
    Invitation,
    Objection,
    PayoutRequest,
    ProofOfUse,
    Recommendation,
    Vote,
)

# What an erased text reads.
ERASED = "[gelöscht]"
# The office sees this many days ahead what will be deleted.
NOTICE_DAYS = 30
# An invitation's address is kept this many days after it was decided or expired.
INVITATION_DAYS = 30

# The words of a payee's name that mark a legal person or a public body: such a payee's
# name is not personal data and stays. Anything else is taken for a natural person.
LEGAL_FORMS = re.compile(
    r"(?<![\w])("
    r"g?gmbh|mbh|ag|kg|kgaa|ohg|gbr|partg|e\.\s?v\.?|ev|e\.\s?k\.?|eg|ug|se|ltd\.?|inc\.?|llc|"
    r"plc|s\.a\.|sarl|b\.v\.|stiftung|verein|verband|genossenschaft|gesellschaft|"
    r"stadt|gemeinde|landkreis|kreis|bezirk|amt|behörde|ministerium|"
    r"universität|hochschule|schule|kirche|kirchengemeinde|bistum|caritas|diakonie|"
    r"sparkasse|bank|volksbank|bahn|stadtwerke|verkehrsbetriebe|klinikum|"
    r"krankenhaus|museum|theater|bibliothek|jugendamt|jobcenter|agentur"
    r")(?![\w])",
    re.IGNORECASE,
)

# The keys of an audit entry's data that hold words rather than figures: emptied in a
# deleted file's trail (``core.audit.erasing``).
PERSONAL_AUDIT_KEYS = frozenset(
    {
        "comment",
        "text",
        "reason",
        "effective_reason",
        "narrative",
        "note",
        "summary",
        "description",
        "payee",
        "finding_reason",
        "check_result",
        "decision_comment",
        "name",
        "original_name",
        "email",
        "username",
        "verdict",
        "early_start_reason",
        "interest_from_reason",
        "conditions",
    }
)


def is_natural_person(payee: str) -> bool:
    """Whether a payee's name is taken for a person's: no legal form or public body in
    it. Erring on the side of the person: a trade name without a legal form is erased."""
    return bool(payee.strip()) and not LEGAL_FORMS.search(payee)


def deletion_day(application: Application) -> date | None:
    """The first day the file may be deleted: the day after ``retention_until``."""
    if application.retention_until is None:
        return None
    return application.retention_until + timedelta(days=1)


def _not_held_nor_erased() -> Q:
    return Q(retention_hold="", erased_at__isnull=True, retention_until__isnull=False)


def due_for_deletion(today: date) -> QuerySet[Application]:
    """The files whose retention period is over on ``today``: not held, not erased."""
    return Application.objects.filter(_not_held_nor_erased(), retention_until__lt=today)


def deletion_ahead(today: date, days: int = NOTICE_DAYS) -> QuerySet[Application]:
    """The files the sweep will delete within ``days`` from ``today`` on (the office's
    advance notice): their deletion day falls in ``[today, today + days]``."""
    return Application.objects.filter(
        _not_held_nor_erased(),
        retention_until__gte=today - timedelta(days=1),
        retention_until__lt=today + timedelta(days=days),
    )


def forget_invitation_addresses(now: datetime) -> int:
    """Erase the address of each invitation decided, or left open past its expiry, more
    than ``INVITATION_DAYS`` ago (the daily sweep): it named a person who may never have
    joined. Answers how many."""
    before = now - timedelta(days=INVITATION_DAYS)
    return (
        Invitation.objects.exclude(email="")
        .filter(Q(decided_at__lt=before) | Q(state=Invitation.State.OPEN, expires_at__lt=before))
        .update(email="")
    )


def erase_personal_data(application: Application) -> dict[str, int]:
    """Erase the personal words of ``application``'s file (the caller holds its row
    locked and records the audit event): a fixed number of statements, however large
    the file. Answers how many rows of each kind changed."""
    pk = application.pk
    counts = {
        "application": Application.objects.filter(pk=pk).update(
            summary="", early_start_reason="", interest_from_reason="", retention_hold=""
        )
    }
    lines = Expenditure.objects.filter(application_id=pk)
    people = [
        line_pk
        for line_pk, payee in lines.values_list("pk", "payee")
        if payee != ERASED and is_natural_person(payee)
    ]
    counts["payees"] = lines.filter(pk__in=people).update(payee=ERASED)
    lines.exclude(finding_reason="").update(finding_reason="")
    counts["proof_of_use"] = ProofOfUse.objects.filter(application_id=pk).update(
        narrative="", check_result=""
    )
    counts["interim_proofs"] = InterimProof.objects.filter(application_id=pk).update(narrative="")
    counts["payout_notes"] = (
        PayoutRequest.objects.filter(application_id=pk).exclude(note="").update(note="")
    )
    counts["change_requests"] = ChangeRequest.objects.filter(application_id=pk).update(
        reason=ERASED
    )
    counts["votes"] = Vote.objects.filter(application_id=pk).exclude(comment="").update(comment="")
    counts["conflicts"] = ConflictDeclaration.objects.filter(application_id=pk).update(
        reason=ERASED, decision_comment=""
    )
    counts["objections"] = Objection.objects.filter(application_id=pk).update(reason=ERASED)
    counts["recommendation"] = Recommendation.objects.filter(application_id=pk).update(text="")
    return counts
