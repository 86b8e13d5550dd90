"""The application lifecycle's states (DOMAIN.md, "Application lifecycle")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    REVISION_REQUESTED = "revision_requested", _("revision requested")
    COMMITTEE_REVIEW = "committee_review", _("under committee review")
    APPROVED = "approved", _("approved")
    FUNDED = "funded", _("funded")
    PROOF_SUBMITTED = "proof_submitted", _("proof of use submitted")
    REPAYMENT_DUE = "repayment_due", _("repayment due")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


S = ApplicationState

EDITABLE_STATES = frozenset({S.DRAFT, S.REVISION_REQUESTED})
TERMINAL_STATES = frozenset({S.CLOSED, S.REJECTED, S.WITHDRAWN})
# The committee sees an application once it has been put before it, and every
# application past approval (fast-tracked ones included), never drafts.
COMMITTEE_VISIBLE_STATES = frozenset(
    {S.COMMITTEE_REVIEW, S.APPROVED, S.FUNDED, S.PROOF_SUBMITTED, S.REPAYMENT_DUE, S.CLOSED}
)


class DecisionMode(models.TextChoices):
    """DOMAIN.md, "Committee review": two ways for a body to decide (§§ 90, 91 VwVfG)."""

    WRITTEN = "written", _("written procedure (Umlaufverfahren)")
    MEETING = "meeting", _("meeting (Sitzung)")


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")
    ABSTAIN = "abstain", _("abstain")


class PayoutState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")
    REJECTED = "rejected", _("rejected")


# The payouts that count against the approved grant (all but rejected ones).
PAYOUT_COUNTING_STATES = frozenset({PayoutState.REQUESTED, PayoutState.APPROVED, PayoutState.PAID})


class ChangeRequestState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
